"""The command line: options, exit codes, --list, --check and -q."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import MANIFEST, PDF


def test_help_exits_0_and_documents_source_text(project, cli):
    result = cli(project, "--help")
    assert result.code == 0
    assert "--source-text" in result.out
    assert "--coverage" in result.out


def test_unknown_option_exits_2(project, cli):
    result = cli(project, "--frobnicate")
    assert result.code == 2
    assert "--frobnicate" in result.err
    assert "Traceback" not in result.err
    assert not (project / "briefings").exists()


def test_unknown_set_exits_2_naming_the_available_sets(project, cli):
    result = cli(project, "--set", "nope")
    assert result.code == 2
    assert "nope" in result.err
    assert "nk-china" in result.err  # a did-you-mean hint or the list of sets
    assert not (project / "briefings").exists()


def test_misspelt_set_gets_did_you_mean(project, cli):
    result = cli(project, "--set", "nk-chin")
    assert result.code == 2
    assert "did you mean 'nk-china'" in result.err


def test_coverage_without_source_text_exits_2(project, cli):
    result = cli(project, "--coverage")
    assert result.code == 2
    assert "--source-text" in result.err
    assert not (project / "briefings").exists()


def test_list_prints_the_output_path_and_writes_nothing(project, cli):
    result = cli(project, "list")
    assert result.code == 0, result.output
    assert PDF in result.out
    assert not (project / "briefings").exists()


def test_check_after_build_passes(built, cli):
    result = cli(built, "check")
    assert result.code == 0, result.output
    assert PDF in result.out


def test_check_before_any_build_fails(project, cli):
    result = cli(project, "check")
    assert result.code == 1, result.output
    assert PDF in result.output


def _tamper(path) -> None:
    data = bytearray(path.read_bytes())
    index = len(data) // 2
    data[index] = (data[index] + 1) % 256
    path.write_bytes(bytes(data))


def test_check_after_tampering_fails_naming_the_file(built, cli):
    _tamper(built / PDF)
    result = cli(built, "check")
    assert result.code == 1, result.output
    assert "Traceback" not in result.err
    assert PDF in result.output
    assert result.err.strip(), "the failed check is reported on stderr"


def test_quiet_check_after_tampering_still_names_the_file(built, cli):
    _tamper(built / PDF)
    result = cli(built, "check", "-q")
    assert result.code == 1, result.output
    assert PDF in result.err


def test_quiet_build_prints_nothing(project, cli):
    result = cli(project, "-q")
    assert result.code == 0
    assert result.out == ""
    assert result.err == ""
    assert (project / PDF).is_file()
    assert json.loads((project / MANIFEST).read_text())["outputs"]


def test_build_report_names_each_document(project, cli):
    result = cli(project)
    assert result.code == 0, result.output
    assert f"built {PDF}" in result.out
    assert "1 page," in result.out


def test_quiet_silences_the_progress_of_a_long_build(project, cli):
    """Over 20 documents a build reports progress on stderr; -q still prints nothing at all."""
    audiences = project / "templates/audiences"
    for index in range(21):
        (audiences / f"reader-{index:02d}.yaml").write_text(
            f'label: "Reader {index}"\ndescription: "Generated"\ndocuments: [brief]\n', encoding="utf-8")
    loud = cli(project, "--kind", "brief", "--force")
    assert loud.code == 0 and "rendering documents: 22/22" in loud.err, loud.output
    quiet = cli(project, "-q", "--kind", "brief", "--force")
    assert quiet.code == 0 and quiet.out == "" and quiet.err == "", quiet.output


@pytest.mark.parametrize("argv, unneeded", [
    (["list"], {"pypdf", "reportlab.platypus", "pypdfium2"}),  # planning only
    (["explain", "--markup"], {"pypdf", "jinja2", "pypdfium2"}),
    ([], {"pypdf", "reportlab", "jinja2", "pypdfium2"}),  # a second build with nothing to do
])
def test_a_run_does_not_import_what_it_does_not_use(built, argv, unneeded):
    """Each command imports only what it uses: listing needs no PDF library, and a build with
    nothing to rebuild stops before templates, layout or checks are even imported."""
    probe = ("import runpy, sys; sys.argv = ['build.py', '-q', *sys.argv[1:]]\n"
             "try:\n    runpy.run_path('build.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print('MODULES', *sorted(sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe, *argv], cwd=built, capture_output=True, text=True, check=True)
    loaded = set(result.stderr.rpartition("MODULES")[2].split())
    assert "briefkit.cli" in loaded, result.stderr[-300:]
    assert not unneeded & loaded, sorted(unneeded & loaded)
