"""nq05_metrics: the pure core of the NQ 05-NQ/TU dashboard (no Streamlit).

Read and validate the data (``loader``), compute achievement, status, schedule and projection
(``metrics``, ``aggregate``), write the review paragraph (``narrative``), geography (``geo``),
charts and exports. ``api`` is the one entry point pages, exports and the CLI share.
"""

__version__ = "0.1.0"
