"""Geography: boundaries (shipped approximation or imported official files), import of official
boundary files, and map-ready layers. Pure code; never imports streamlit.

Public API: :func:`load_boundaries`, :func:`load_province_outline`, :class:`GeoDataError`,
:func:`map_layers` / :class:`MapLayers`, :func:`import_boundaries`, :func:`build_default`,
:func:`add_geo_parser`.
"""

from .cli import add_geo_parser
from .io import GeoDataError, load_boundaries, load_province_outline
from .layers import MapLayers, load_zone_polygons, map_layers, zones_as_of

__all__ = [
    "GeoDataError",
    "MapLayers",
    "add_geo_parser",
    "build_default",
    "import_boundaries",
    "load_boundaries",
    "load_province_outline",
    "load_zone_polygons",
    "map_layers",
    "zones_as_of",
]


def __getattr__(name: str) -> object:
    """Lazy access to the heavier builders (keeps ``import nq05_metrics.geo`` light)."""
    if name == "build_default":
        from .default import build_default

        return build_default
    if name == "import_boundaries":
        from .importer import import_boundaries

        return import_boundaries
    raise AttributeError(name)
