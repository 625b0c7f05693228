"""One small exception hierarchy and the diagnostic every content error becomes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One precise problem in the content: where, which field, what was expected and received."""

    file: str
    line: int
    column: int
    field: str
    message: str
    suggestion: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return f"{where}:{field} {self.message}{hint}"


class SiteGenError(Exception):
    """Base of every error site-gen reports to a user (never shown as a traceback)."""


class ContentError(SiteGenError):
    """The briefing's YAML is invalid; carries every diagnostic found in one run."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(d) for d in self.diagnostics]
        count = len(self.diagnostics)
        lines.append(f"{count} error{'s' if count != 1 else ''} found; nothing was written.")
        return "\n".join(lines)


class BuildError(SiteGenError):
    """MkDocs (or another build step) failed."""
