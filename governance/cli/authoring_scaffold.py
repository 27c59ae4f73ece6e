"""``governance new policy``: the definition, the Rego and its tests from templates/scaffold/.

Files go into a pack-layout directory (``policies/<ID>.yaml``, ``rules_rego/<slug>.rego`` and
``rules_rego/<slug>_test.rego``), so the directory is usable at once as ``--policies DIR`` and by
``governance test DIR``/``governance lint DIR``. Existing files are never overwritten.
"""

from __future__ import annotations

import re
from pathlib import Path

from governance.errors import UsageError, Where
from governance.evaluate.rego.source import PACKAGE_NAME

POLICY_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "scaffold"


def scaffold_policy(
    policy_id: str,
    directory: Path,
    *,
    title: str | None = None,
    severity: str = "medium",
    package_prefix: str = "governance.custom",
) -> list[Path]:
    """Write the three files; returns their paths. UsageError on a bad id or an existing file."""
    import jinja2

    if not POLICY_ID.match(policy_id):
        raise UsageError(
            f"policy id must look like ORG-AREA-001 (upper case, dash separated), got '{policy_id}'"
        )
    slug = policy_id.lower().replace("-", "_")
    package = f"{package_prefix}.{slug}"
    if not PACKAGE_NAME.match(package):
        raise UsageError(f"--package-prefix must be a dotted name, got '{package_prefix}'")
    context = {
        "id": policy_id,
        "title": title or f"TODO: what {policy_id} requires",
        "severity": severity,
        "package": package,
        "slug": slug,
        "leaf": slug,
    }
    targets = {
        "policy.yaml.j2": directory / "policies" / f"{policy_id}.yaml",
        "policy.rego.j2": directory / "rules_rego" / f"{slug}.rego",
        "policy_test.rego.j2": directory / "rules_rego" / f"{slug}_test.rego",
    }
    for target in targets.values():
        if target.exists():
            raise UsageError("file exists (not overwritten)", Where(str(target)))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Rego and YAML, not HTML
    )
    for template, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(template).render(context), encoding="utf-8")
    return list(targets.values())
