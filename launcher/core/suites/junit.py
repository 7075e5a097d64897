"""JUnit XML for CI systems: one ``testsuite``, one ``testcase`` per test, the reason and call id in a failure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from launcher.core.suites.model import Suite
from launcher.core.suites.runner import CaseResult, CaseState


def junit_xml(suite: Suite, results: list[CaseResult]) -> str:
    failures = sum(1 for r in results if r.state is CaseState.FAILED)
    root = ET.Element("testsuite", {
        "name": suite.name, "tests": str(len(results)), "failures": str(failures), "errors": "0",
        "skipped": "0", "time": f"{sum(r.elapsed for r in results):.3f}",
    })
    for result in results:
        case = ET.SubElement(root, "testcase", {
            "classname": suite.name, "name": result.test.name, "time": f"{result.elapsed:.3f}",
        })
        if result.state is CaseState.FAILED:
            failure = ET.SubElement(case, "failure", {"message": result.reason, "type": "expectation"})
            failure.text = "\n".join([*result.reasons, f"profile: {result.test.profile.name}",
                                      f"call id: {result.call_id or 'none (no call was placed)'}"])
        details = [f"profile={result.test.profile.name}", f"call_id={result.call_id or ''}",
                   f"outcome={result.outcome or ''}", f"provider_state={result.provider_state or ''}"]
        ET.SubElement(case, "system-out").text = "\n".join(details)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: Path, suite: Suite, results: list[CaseResult]) -> None:
    from launcher.core.paths import atomic_write

    atomic_write(path, junit_xml(suite, results).encode("utf-8"))
