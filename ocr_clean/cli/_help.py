"""Readable help and usage for every command (typer's defaults, fixed in one place).

* a flag shows no type placeholder (``--version``, not ``--version <bool>``);
* the usage line names arguments as people write them: ``GOLD CLEANED``, ``[DIR]``,
  ``[PATHS]...`` (not ``{gold} {cleaned}`` or ``[[DIR]]``);
* ``-h`` works as ``--help`` everywhere (``CONTEXT``).
"""
from __future__ import annotations

import typer
from typer.core import TyperCommand, TyperGroup

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _usage_name(param) -> str:
    name = (param.metavar or param.name or "").upper() if param.metavar is None else param.metavar
    name = name.strip("[]{}").rstrip(".")
    name = f"[{name}]" if not param.required else name
    return name + ("..." if param.nargs != 1 else "")


class _Readable:
    def get_params(self, ctx):
        params = super().get_params(ctx)
        for p in params:
            if getattr(p, "is_flag", False) and p.param_type_name == "option":
                p.metavar = ""          # a flag takes no value: no <bool> placeholder
        return params

    def collect_usage_pieces(self, ctx):
        pieces = [self.options_metavar] if self.options_metavar else []
        for p in self.get_params(ctx):
            if p.param_type_name == "argument":
                pieces.append(_usage_name(p))
        return pieces


class Command(_Readable, TyperCommand):
    pass


class Group(_Readable, TyperGroup):
    def collect_usage_pieces(self, ctx):
        return [self.options_metavar, "COMMAND [ARGS]..."] if self.options_metavar else ["COMMAND [ARGS]..."]


def readable(app: typer.Typer) -> None:
    """Give every command and sub-app of ``app`` the readable help (and ``-h``)."""
    if not app.info.cls or app.info.cls is TyperGroup:
        app.info.cls = Group
    app.info.context_settings = {**CONTEXT, **(app.info.context_settings or {})}
    for info in app.registered_commands:
        if not info.cls or info.cls is TyperCommand:
            info.cls = Command
        info.context_settings = {**CONTEXT, **(info.context_settings or {})}
    for group in app.registered_groups:
        if not group.cls or group.cls is TyperGroup:
            group.cls = Group
        group.context_settings = {**CONTEXT, **(group.context_settings or {})}
        if group.typer_instance is not None:
            readable(group.typer_instance)
