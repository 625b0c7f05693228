"""The JSON Schema of the content files, generated from the typed content model.

YAML-aware editors (VS Code's YAML extension and anything else built on yaml-language-server)
read the schema named on a content file's first line::

    # yaml-language-server: $schema=../schema/briefing.schema.json

and then complete field names, show what each field means and flag mistakes while typing.

One schema serves every file in ``content/``: each file's single top-level key (``events``,
``quotes``, …) selects the model of that file; a file with none of them is ``briefing.yaml``.
The schema is written for JSON Schema draft-07, the newest draft yaml-language-server fully
supports.

The schema checks the shape of each file. What only the loader can check, because it needs the
YAML text itself or more than one file, stays with ``site-gen check``: references between files
(an unknown speaker), unique ids, calendar dates that do not exist (``"2025-02-30"``), reserved
ids, text made only of spaces, and YAML 1.1 surprises such as an unquoted ``NO``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic.json_schema import models_json_schema

from .model import CONTENT_FILES, BriefingMeta, Record

SCHEMA_PATH = "schema/briefing.schema.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_REF = "#/definitions/{model}"

# What editors show when hovering a field. Kept short; CONTENT.md is the full reference.
FIELD_HELP: dict[tuple[str, str], str] = {
    ("BriefingMeta", "title"): "Site title.",
    ("BriefingMeta", "tagline"): "One line shown under the title.",
    ("BriefingMeta", "summary"): "The story in (usually) three sentences; inline Markdown.",
    ("BriefingMeta", "language"): "BCP 47 language tag of the briefing, e.g. en, de, pl.",
    ("BriefingMeta", "currency"): "Default ISO 4217 currency of the funding figures, e.g. USD, EUR.",
    ("BriefingMeta", "key_figures"): "Ids of the funding figures shown on the home page.",
    ("Source", "id"): "Lower-case slug other records use to cite this source.",
    ("Source", "title"): "The title the text gives, or else a short description.",
    ("Source", "outlet"): "Who published it.",
    ("Source", "kind"): "What kind of source this is.",
    ("Source", "url"): "Link to the source (http or https only).",
    ("Source", "via"): "Ids of the sources through which this one is known.",
    ("Person", "kind"): "person or organisation.",
    ("Person", "roles"): "One or more roles; an optional date says when a role applied.",
    ("Person", "aliases"): "Other names readers search for.",
    ("Event", "date"): "As precise as the source allows: \"2025\", \"2025-11\" or \"2025-11-21\".",
    ("Event", "date_note"): "Wording for a vague date, e.g. \"late 2025\".",
    ("Event", "summary"): "What happened; inline Markdown.",
    ("Event", "people"): "Ids of the people and organisations involved.",
    ("Event", "sources"): "Ids of the sources; at least one.",
    ("Figure", "status"): "Where the money stands.",
    ("Figure", "part_of"): "Id of a figure that already includes this amount (never counted twice).",
    ("Figure", "projects"): "Names of the projects the money is for.",
    ("Figure", "sources"): "Ids of the sources; at least one.",
    ("Money", "value"): "A plain number, no quotes and no words: 18000000000 for 18 billion.",
    ("Money", "currency"): "ISO 4217 code; defaults to the briefing's currency.",
    ("Money", "approximate"): "true shows the amount as \"about …\".",
    ("Quote", "text"): "Exact words for a direct quote; the paraphrase for reported speech.",
    ("Quote", "speaker"): "Id of the person or organisation quoted.",
    ("Quote", "kind"): "direct (exact words) or reported (paraphrase, not exact words).",
    ("Quote", "setting"): "Where it was said, e.g. a press conference.",
    ("Quote", "context"): "What it was about and why it matters.",
    ("Quote", "about"): "Ids of the people the quote is about.",
    ("Quote", "event"): "Id of the event where it was said.",
    ("Quote", "sources"): "Ids of the sources; at least one.",
    ("FaqEntry", "answer"): "The answer; inline Markdown.",
    ("Update", "kind"): "update (new information) or correction (something was wrong).",
    ("Update", "summary"): "What changed; inline Markdown.",
    ("Update", "items"): "Ids of the records this change affected; each shows an Updated or "
                         "Correction note.",
}


def _section_key(model: type[Record]) -> str | None:
    """The single top-level key of a section file (``None`` for briefing.yaml, a plain mapping)."""
    if model is BriefingMeta:
        return None
    (key,) = model.model_fields
    return key


def content_schema() -> dict[str, Any]:
    """One draft-07 schema that every content file validates against."""
    models = list(CONTENT_FILES.values())
    _, generated = models_json_schema([(model, "validation") for model in models], ref_template=_REF)
    definitions: dict[str, Any] = generated["$defs"]
    for (model_name, field_name), help_text in FIELD_HELP.items():
        prop = definitions[model_name]["properties"][field_name]
        if "$ref" not in prop:  # draft-07 ignores keywords beside $ref
            prop["description"] = help_text

    section_keys = {key: model for model in models if (key := _section_key(model)) is not None}
    top_properties: dict[str, Any] = {}
    for name, model in CONTENT_FILES.items():
        key = _section_key(model)
        if key is None:
            for field_name, prop in definitions[model.__name__]["properties"].items():
                top_properties[field_name] = copy.deepcopy(prop)
        else:
            top_properties[key] = {
                **copy.deepcopy(definitions[model.__name__]["properties"][key]),
                "description": f"The records of content/{name}.",
            }
    branches: list[dict[str, Any]] = [
        {"if": {"required": [key]}, "then": {"$ref": _REF.format(model=model.__name__)}}
        for key, model in section_keys.items()
    ]
    branches.append({
        "if": {"not": {"anyOf": [{"required": [key]} for key in section_keys]}},
        "then": {"$ref": _REF.format(model=BriefingMeta.__name__)},
    })
    return {
        "$schema": DRAFT_07,
        "title": "Briefing content file",
        "description": (
            "One file of a site-gen briefing (content/*.yaml). Generated from the content model by "
            "'site-gen schema'; do not edit by hand. Its top-level key selects the file: "
            + ", ".join(f"'{key}' ({name})" for name, model in CONTENT_FILES.items()
                        if (key := _section_key(model)) is not None)
            + "; a file with none of them is briefing.yaml."
        ),
        "type": "object",
        "properties": top_properties,
        "allOf": branches,
        "definitions": definitions,
    }


def data_schema() -> dict[str, Any]:
    """Draft-07 schema of the published ``briefing.json`` (see ``render.data``)."""
    schema = content_schema()
    definitions = schema["definitions"]
    properties: dict[str, Any] = {"briefing": {"$ref": _REF.format(model=BriefingMeta.__name__)}}
    for model in CONTENT_FILES.values():
        key = _section_key(model)
        if key is not None:
            properties[key] = copy.deepcopy(definitions[model.__name__]["properties"][key])
    return {
        "$schema": DRAFT_07,
        "title": "Briefing data (briefing.json)",
        "description": "The whole validated briefing as published by site-gen: one key per "
                       "content section, each holding that section's records.",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "definitions": definitions,
    }


def dumps(schema: dict[str, Any]) -> str:
    """Stable, reviewable JSON text (same model -> byte-identical file)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
