"""Stage 5, reports: parameterised notebooks rendered to self-contained HTML.

:mod:`.params` (validated parameters) -> :mod:`.render` (papermill + nbconvert, run folders, lock,
provenance) -> :mod:`.html`, :mod:`.index`; :mod:`.nbtools` and :mod:`.charts` are what the notebooks call.
"""

from __future__ import annotations
