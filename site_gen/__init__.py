"""site-gen: publish a news briefing kept in YAML as a MkDocs Material microsite.

The package is laid out by pipeline stage:
load (YAML -> located plain data) -> validate (-> typed model) ->
render (model -> {path: markdown}, pure) -> write (only what changed) -> build (MkDocs).
"""

__version__ = "0.1.0"
