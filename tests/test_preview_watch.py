"""What the preview server watches, and how often: set up by the plugin's ``on_serve``.

No server is started: MkDocs' own LiveReloadServer is made and handed to the plugin as
``mkdocs serve`` does, and its watchdog observer is inspected (its pollers are public).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from site_gen.plugin import BUILD_DELAY_S, POLL_INTERVAL_S, BriefingPlugin


def _pollers(server: LiveReloadServer) -> dict[Path, float]:
    return {Path(emitter.watch.raw_path): emitter.timeout for emitter in server.observer.emitters}


def test_content_and_theme_overrides_are_polled_often_and_rebuilt_soon(mini_project: Path,
                                                                         tmp_path: Path) -> None:
    config = load_config(str(mini_project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    try:
        default = server.observer.timeout
        assert default > POLL_INTERVAL_S, "MkDocs polls faster than site-gen would: drop _polling_every"
        assert server.build_delay > BUILD_DELAY_S
        # As `mkdocs serve` does: docs/ and mkdocs.yml first, then the plugins' on_serve.
        server.watch(config.docs_dir)
        server.watch(config.config_file_path)
        plugin = BriefingPlugin()
        server = plugin.on_serve(server, config=config, builder=server.builder)
        server.watch(str(mini_project / "some-folder-listed-under-watch"))

        pollers = _pollers(server)
        root = mini_project.resolve()
        assert pollers[root / "content"] == POLL_INTERVAL_S
        assert pollers[root / "overrides"] == POLL_INTERVAL_S
        # Everything else keeps MkDocs' interval (a theme watched with --watch-theme is big).
        assert pollers[root / "mkdocs.yml"] == default
        assert pollers[root / "some-folder-listed-under-watch"] == default
        assert server.observer.timeout == default
        assert server.build_delay == BUILD_DELAY_S
    finally:
        server.server_close()
