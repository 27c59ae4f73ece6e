"""The composite GitHub Action and the pre-commit hooks, checked for real.

Structure: every ``inputs.*`` / ``steps.*.outputs.*`` reference resolves, no input is interpolated
into a script (script injection), every declared input is used. Behaviour: the action's bash steps
run here in order with a small runner that substitutes ``${{ }}`` expressions, so the verdict
outputs, the job summary, the annotations and the exit-code gate are exercised against a real
JSON report and the real ``governance report`` command. Only ``governance check`` is replaced, by a
stub that records its arguments and writes the reports a run would write.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from governance.report import FORMATS, json_report, markdown, sarif
from tests.conftest import REPO
from tests.report.conftest import build_sample_result

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = shutil.which("bash")


def _load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    doc: dict[str, Any] = _load(REPO / "action.yml")
    return doc


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def test_action_is_composite_and_every_run_step_has_a_shell(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")


def test_references_resolve_and_inputs_never_reach_a_script(action: dict[str, Any]) -> None:
    inputs = set(action["inputs"])
    steps = action["runs"]["steps"]
    used_inputs: set[str] = set()
    written: dict[str, set[str]] = {}
    for step in steps:
        exprs = EXPR.findall(" ".join(_strings(step)))
        if "if" in step:  # `if:` is an expression without the ${{ }} wrapper
            exprs.append(step["if"])
        for expr in exprs:
            for name in re.findall(r"inputs\.([\w-]+)", expr):
                assert name in inputs, f"unknown input {name}"
                used_inputs.add(name)
            for sid, out in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
                assert sid in written, f"step {sid} referenced before it runs"
                assert out in written[sid], f"step {sid} never writes output {out}"
        if "run" in step:
            # Script injection: expressions only in env:, never inside the script text.
            assert "${{" not in step["run"], step.get("name")
        if "id" in step and "run" in step:
            written[step["id"]] = set(re.findall(r"([\w-]+)=", step["run"]))
    for name, output in action["outputs"].items():
        for sid, out in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", output["value"]):
            assert out in written.get(sid, set()), f"output {name} reads missing {sid}.{out}"
    assert used_inputs == inputs, f"unused inputs: {inputs - used_inputs}"


def test_default_formats_are_real_formats(action: dict[str, Any]) -> None:
    assert set(action["inputs"]["formats"]["default"].split()) <= set(FORMATS)


@pytest.mark.skipif(BASH is None, reason="bash not available")
def test_every_script_is_valid_bash(action: dict[str, Any]) -> None:
    for step in action["runs"]["steps"]:
        if "run" in step:
            subprocess.run([str(BASH), "-n"], input=step["run"], text=True, check=True)


def test_pre_commit_hooks_are_well_formed() -> None:
    hooks = _load(REPO / ".pre-commit-hooks.yaml")
    by_id = {h["id"]: h for h in hooks}
    check = by_id["governance-check"]
    assert check["entry"] == "governance check"
    assert check["language"] == "python"
    assert check["pass_filenames"] is False
    re.compile(check["files"])
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].split()[0] == "governance"  # the console script in pyproject


def test_example_workflows_use_the_action_inputs_that_exist(action: dict[str, Any]) -> None:
    for name in ("pr-gate.yml", "nightly.yml"):
        workflow = _load(REPO / "examples" / "github" / name)
        uses_action = [
            s
            for job in workflow["jobs"].values()
            for s in job["steps"]
            if "datamesh-governance@" in str(s.get("uses", ""))
        ]
        for step in uses_action:
            assert set(step["with"]) <= set(action["inputs"]), name
            assert step["with"]["fail-on"] in {"critical", "high", "medium", "low", "info", "never"}


# ------------------------------------------------------------------------- running the steps


STUB = """#!{python}
import json, os, sys, pathlib
args = sys.argv[1:]
if args[:1] != ["check"]:
    os.execv({real!r}, [{real!r}, *args])
pathlib.Path(os.environ["STUB_ARGS"]).write_text(json.dumps(args))
out = pathlib.Path(args[args.index("--output-dir") + 1])
reports = pathlib.Path(os.environ["STUB_REPORTS"])
if reports.is_dir():
    out.mkdir(parents=True, exist_ok=True)
    formats = [args[i + 1] for i, a in enumerate(args) if a == "--format"]
    for name, fmt in (("report.json", "json"), ("report.md", "markdown"),
                      ("report.sarif", "sarif")):
        if fmt in formats:
            (out / name).write_text((reports / name).read_text())
sys.exit(int(os.environ["STUB_EXIT"]))
"""


class Runner:
    """Runs the action's bash steps in order, like a composite-action runner (minus `uses`)."""

    def __init__(self, action: dict[str, Any], tmp: Path, inputs: dict[str, str]) -> None:
        self.action, self.tmp = action, tmp
        self.inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
        self.inputs.update(inputs)
        self.outputs: dict[str, dict[str, str]] = {}
        self.summary = tmp / "summary.md"
        self.summary.touch()
        self.logs: dict[str, str] = {}
        bin_dir = tmp / "runner" / "governance-venv" / "bin"
        bin_dir.mkdir(parents=True)
        venv_bin = Path(sys.executable).parent
        python = bin_dir / "python"  # a wrapper, not a symlink: the venv is found by real path
        python.write_text(f'#!/bin/sh\nexec "{venv_bin / "python"}" "$@"\n')
        python.chmod(0o755)
        stub = bin_dir / "governance"
        stub.write_text(STUB.format(python=venv_bin / "python", real=str(venv_bin / "governance")))
        stub.chmod(0o755)

    def _expr(self, expr: str) -> str:
        if m := re.fullmatch(r"inputs\.([\w-]+)", expr):
            return self.inputs[m[1]]
        if m := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            return self.outputs.get(m[1], {}).get(m[2], "")
        if expr == "github.action_path":
            return str(REPO)
        raise AssertionError(f"expression not understood by the test runner: {expr}")

    def _condition(self, condition: str) -> bool:
        text = condition.replace("always()", "True").replace("&&", " and ")
        text = re.sub(r"[\w.-]+\.[\w.-]+", lambda m: repr(self._expr(m[0])), text)
        return bool(eval(text, {"__builtins__": {}}, {"True": True}))

    def run(self, env: dict[str, str]) -> int:
        code = 0
        for step in self.action["runs"]["steps"]:
            if "run" not in step or not self._condition(step.get("if", "always()")):
                continue
            if step["name"] == "Install the governance tool":
                continue  # pip install of this repository: covered by the structure tests

            out_file = self.tmp / f"out-{len(self.logs)}"
            out_file.touch()
            step_env = {
                k: EXPR.sub(lambda m: self._expr(m[1]), str(v))
                for k, v in step.get("env", {}).items()
            }
            proc = subprocess.run(
                # The runner's own invocation for `shell: bash`.
                [str(BASH), "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                text=True,
                capture_output=True,
                cwd=self.tmp,
                timeout=120,
                env={
                    "PATH": os.environ["PATH"],
                    "HOME": str(self.tmp),
                    "RUNNER_TEMP": str(self.tmp / "runner"),
                    "GITHUB_OUTPUT": str(out_file),
                    "GITHUB_STEP_SUMMARY": str(self.summary),
                    **env,
                    **step_env,
                },
            )
            self.logs[step["name"]] = proc.stdout + proc.stderr
            if "id" in step:
                pairs = [ln.split("=", 1) for ln in out_file.read_text().splitlines() if "=" in ln]
                self.outputs[step["id"]] = dict(pairs)
            code = proc.returncode
            if code and step["name"] != "Gate on the verdict":
                raise AssertionError(f"step {step['name']} failed: {self.logs[step['name']]}")
        return code


def _reports(tmp: Path) -> Path:
    result = build_sample_result()
    reports = tmp / "reports-src"
    reports.mkdir()
    (reports / "report.json").write_text(json_report.render(result))
    (reports / "report.md").write_text(markdown.render(result))
    (reports / "report.sarif").write_text(sarif.render(result))
    return reports


def _stub_env(tmp: Path, exit_code: int, reports: Path | None) -> dict[str, str]:
    return {
        "STUB_ARGS": str(tmp / "args.json"),
        "STUB_EXIT": str(exit_code),
        "STUB_REPORTS": str(reports or tmp / "none"),
    }


needs_bash = pytest.mark.skipif(BASH is None, reason="bash not available")


@needs_bash
def test_failing_run_sets_outputs_summary_annotations_and_fails(
    action: dict[str, Any], tmp_path: Path
) -> None:
    runner = Runner(
        action,
        tmp_path,
        {
            "paths": "data-products infra/plan.json",
            "waivers": "gov/waivers.yaml",
            "formats": "sarif json",
        },
    )
    code = runner.run(_stub_env(tmp_path, 1, _reports(tmp_path)))
    assert code == 1
    verdict = runner.outputs["verdict"]
    assert verdict["verdict"] == "fail"
    assert verdict["blocking"] == "3"
    assert json.loads(verdict["counts"]) == {"fail": 5, "pass": 4, "waived": 1, "warn": 1}
    assert runner.outputs["check"]["exit-code"] == "1"
    assert "Data-mesh governance: FAIL" in runner.summary.read_text()
    assert "::error file=examples/terraform/plan.json,line=42" in runner.logs["Annotate findings"]
    args = json.loads((tmp_path / "args.json").read_text())
    assert args[:3] == ["check", "data-products", "infra/plan.json"]
    assert args.count("--format") == 4  # console json markdown sarif: duplicates dropped
    assert args[args.index("--waivers") + 1] == "gov/waivers.yaml"
    assert "--baseline" not in args and "--config" not in args


@needs_bash
def test_crash_without_report_fails_closed(action: dict[str, Any], tmp_path: Path) -> None:
    runner = Runner(action, tmp_path, {})
    assert runner.run(_stub_env(tmp_path, 1, None)) == 2
    assert runner.outputs["verdict"]["verdict"] == "error"


@needs_bash
def test_inputs_are_data_not_code(action: dict[str, Any], tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    runner = Runner(
        action,
        tmp_path,
        {
            "config": f"$(touch {marker})",
            "upload-sarif": "true",
            "formats": "",
            "annotations": "false",
        },
    )
    assert runner.run(_stub_env(tmp_path, 0, _reports(tmp_path))) == 2  # pass exit, fail report
    assert not marker.exists()
    args = json.loads((tmp_path / "args.json").read_text())
    assert args[args.index("--config") + 1] == f"$(touch {marker})"
    assert "sarif" in args  # upload-sarif adds the format
    assert runner.outputs["check"]["sarif-file"] == "governance-reports/report.sarif"
    assert "Annotate findings" not in runner.logs
