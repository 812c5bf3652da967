"""One exception family: every error supplywatch raises on purpose derives from SupplywatchError.

Messages name the bad value, where it came from (file and line where there is one), and what to do.
"""

from __future__ import annotations


class SupplywatchError(Exception):
    """Base class of every error supplywatch raises on purpose."""


class CorpusError(SupplywatchError):
    """A corpus path cannot be read at all (missing, not a folder or supported file)."""


class ResourceError(SupplywatchError):
    """A project resource in data/ (gazetteer, lexicon, stop words, reference figures) is missing or invalid."""


class GazetteerError(ResourceError):
    """The actor gazetteer is malformed: duplicate id or alias, unknown type, bad entry."""


class SpoolError(SupplywatchError):
    """The analysis cannot write its working files (the spool folder is not writable, or the disk is full)."""


class ParameterError(SupplywatchError):
    """A notebook parameter is unknown or has the wrong type."""


class RenderError(SupplywatchError):
    """Rendering reports failed (a notebook raised, timed out, or the output folder is unusable)."""


class LockError(RenderError):
    """Another render holds the lock on the output folder."""
