"""The only Streamlit-aware library code of the dashboard.

``loaders`` (cached wrappers over :mod:`nq05_metrics.api`), ``filters`` (the shared, URL-bound
filter bar), ``widgets`` (KPI card, gauge, legend, quality badge, banners), ``tables`` (display
tables and safe CSV bytes) and ``i18n`` (the string catalogue lives in ``nq05_metrics/locales/``).
"""
