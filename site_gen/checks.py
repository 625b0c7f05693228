"""Checks across records that need more than a lookup: part_of cycles, totals within the amount
limit, and update items that name one record only. Each is linear in the number of records."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from .amounts import MAX_AMOUNT
from .errors import Diagnostic
from .load import LoadedFile
from .model import Briefing


def part_of_cycles(b: Briefing, funding: LoadedFile) -> list[Diagnostic]:
    """A figure whose ``part_of`` chain comes back to a figure already on it, reported at that
    figure with the first figure met twice (each figure is visited once however long the chains)."""
    figures = b.figure_by_id
    reached: dict[str, str | None] = {}  # figure id -> first figure met twice from it (None: no cycle)
    for figure in b.figures:
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = figure.id
        while node is not None and node in figures and node not in reached and node not in on_path:
            on_path[node] = len(path)
            path.append(node)
            node = figures[node].part_of
        tail = path
        if node is not None and node in on_path:  # a new cycle: each of its figures meets itself first
            start = on_path[node]
            for member in path[start:]:
                reached[member] = member
            tail = path[:start]
        # Back along the rest: a figure just before a cycle first meets the figure it is part of.
        for member in reversed(tail):
            parent = figures[member].part_of
            if parent is None or parent not in figures:
                reached[member] = None
            else:
                reached[member] = parent if reached.get(parent) == parent else reached.get(parent)
    out = []
    for i, figure in enumerate(b.figures):
        through = reached.get(figure.id)
        if figure.part_of is not None and figure.part_of in figures and through is not None:
            out.append(funding.diagnostic(("figures", i, "part_of"), f"part_of makes a cycle through '{through}'",
                                          "a figure cannot contain itself"))
    return out


def total_limits(b: Briefing, funding: LoadedFile) -> list[Diagnostic]:
    """The total of each currency (figures that are not part of another) must stay below 10^18,
    as every amount does: reported at the figure that takes it there."""
    default = getattr(b.meta, "currency", None) or "USD"
    sums: dict[str, Decimal] = defaultdict(Decimal)
    out = []
    for i, figure in enumerate(b.figures):
        if figure.part_of:
            continue
        currency = figure.amount.currency or default
        before = sums[currency]
        sums[currency] = before + figure.amount.value
        if before < MAX_AMOUNT <= sums[currency]:
            out.append(funding.diagnostic(
                ("figures", i, "amount", "value"),
                f"with this figure the {currency} figures that are not part of another add up to "
                f"{sums[currency]:f}; a total must stay below 10^18, as every amount does",
                "if this amount is included in another figure, say so with part_of"))
    return out


# The kinds of record an update's items can name, with the file and section that define them.
# Events, figures, quotes and FAQ entries share one namespace: a clash among them is already a
# duplicate id (validate.py), so each namespace contributes its first definition only.
_KINDS = (("event", "events.yaml", "events", "record"), ("figure", "funding.yaml", "figures", "record"),
          ("quote", "quotes.yaml", "quotes", "record"), ("FAQ entry", "faq.yaml", "faq", "record"),
          ("person", "people.yaml", "people", "person"), ("source", "sources.yaml", "sources", "source"),
          ("topic", "topics.yaml", "topics", "topic"))


def ambiguous_update_items(b: Briefing, updates: LoadedFile, loaded: dict[str, LoadedFile]) -> list[Diagnostic]:
    """An update item must name one record: an id used by two kinds (a person and an event, say)
    would put the update's note on both. Refused at the item, naming both definitions."""
    named = {item for u in b.updates for item in u.items}
    if not named:
        return []
    definitions: dict[str, list[str]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for what, file_name, section, namespace in _KINDS:
        file = loaded.get(file_name)
        for index, record in enumerate(getattr(b, section)):
            if record.id in named and (namespace, record.id) not in seen:
                seen.add((namespace, record.id))
                where = ""
                if file is not None:
                    line, column = file.position((section, index, "id"))
                    where = f" ({file.path}:{line}:{column})"
                definitions[record.id].append(f"{what} '{record.id}'{where}")
    out = []
    for i, u in enumerate(b.updates):
        for j, item in enumerate(u.items):
            found = definitions.get(item, [])
            if len(found) > 1:
                out.append(updates.diagnostic(
                    ("updates", i, "items", j), f"'{item}' names more than one record: "
                    + " and ".join(found),
                    "rename one of them: an id that updates name must be unique across every kind of record"))
    return out
