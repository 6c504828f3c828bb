"""Vega-Lite to SVG with vl-convert, and nothing else: what a chart-rendering worker process
imports (the Vega runtime comes with vl-convert; nothing is fetched).

Must never: import the analytics stack (a worker would pay for it at start-up).
"""

from __future__ import annotations

import json
from typing import Any

import vl_convert as vlc


def render(spec: dict[str, Any] | str) -> str:
    """The SVG of a Vega-Lite spec (a dict or its JSON text)."""
    return str(vlc.vegalite_to_svg(spec if isinstance(spec, str) else json.dumps(spec)))
