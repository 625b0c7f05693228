"""MkDocs glue: plain ``mkdocs build`` / ``mkdocs serve`` regenerate docs/ from content/ first.

The plugin only calls the generator; all the work lives in the pipeline modules, so the same
project also builds with engines that do not run MkDocs plugins (after ``site-gen build``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .errors import SiteGenError
from .generate import Project, generate

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingPlugin(BasePlugin):
    def _project(self, config: Any) -> Project:
        return Project(Path(config.config_file_path).resolve().parent)

    def on_pre_build(self, config: Any) -> None:
        project = self._project(config)
        try:
            _, report = generate(project)
        except SiteGenError as error:
            raise PluginError(f"the briefing content is invalid:\n{error}") from None
        if report.written or report.removed:
            log.info(f"briefing: {report.summary()}")

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self._project(config).content_dir))
        return server
