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
    """A build reports each document as it finishes (and on a terminal draws a bar); -q still
    prints nothing at all."""
    audiences = project / "templates/audiences"
    for index in range(21):
        (audiences / f"reader-{index:02d}.yaml").write_text(
            f'label: "Reader {index}"\ndescription: "Generated"\ndocuments: [brief]\n', encoding="utf-8")
    loud = cli(project, "--kind", "brief", "--force")
    assert loud.code == 0 and loud.out.count("\nbuilt briefings/") + loud.out.startswith("built ") == 22, loud.output
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


def test_commands_and_options_are_spelled_out_and_misspellings_get_a_hint(project, cli):
    for argv, message in ((["lsit"], "unknown command 'lsit' (did you mean 'list'?)"),
                          (["--audeince", "analysts"], "unknown option --audeince (did you mean '--audience'?)"),
                          (["--aud", "analysts"], "unknown option --aud (did you mean '--audience'?)"),
                          (["list", "--force"], "list has no option --force: it belongs to build"),
                          (["--list"], "--list is a command now: briefkit list"),
                          (["--explain", "analysts"], "--explain is a command now: briefkit explain AUDIENCE"),
                          (["-q", "-v"], "not allowed with argument -q/--quiet"),
                          (["--coverage"], "--coverage needs a source text"),
                          (["explain"], "name one audience, or give --markup, --profile-keys or --content-keys"),
                          (["build", "--source", "essay.txt"], "build has no option --source: it belongs to new"),
                          (["new", "x"], "the following arguments are required: --source"),
                          (["--jobs", "0"], "use 1 to 64")):
        result = cli(project, *argv)
        assert result.code == 2, (argv, result.output)
        assert message in result.err, (argv, result.err)
        assert "Traceback" not in result.err
    assert not (project / "briefings").exists()


def test_lists_may_be_comma_separated_or_repeated(full_project, cli):
    both = cli(full_project, "list", "--audience", "press,principal", "--kind", "brief")
    repeated = cli(full_project, "list", "--audience", "press", "--audience", "principal", "--kind", "brief")
    assert both.code == repeated.code == 0, both.output
    assert both.out == repeated.out
    assert [line.split()[0] for line in both.out.splitlines()] == [
        "briefings/nk-china/press/nk-china-brief-press.pdf", "briefings/nk-china/principal/nk-china-brief-principal.pdf"]


def test_list_and_check_speak_json(built, cli):
    listed = cli(built, "list", "--json")
    assert listed.code == 0, listed.output
    documents = json.loads(listed.out)["documents"]
    assert {d["path"] for d in documents} >= {PDF} and documents[0]["max_pages"] >= 1
    checked = cli(built, "check", "--json")
    assert checked.code == 0, checked.output
    report = json.loads(checked.out)
    assert report["ok"] is True and {o["path"] for o in report["outputs"]} == {d["path"] for d in documents}
    _tamper(built / PDF)
    failed = json.loads(cli(built, "check", "--json").out)
    assert failed["ok"] is False
    assert [o["ok"] for o in failed["outputs"] if o["path"] == PDF] == [False]


@pytest.mark.parametrize("argv", ["list", "--help", "build --help", "explain --markup", "check"])
def test_a_closed_pipe_is_a_quiet_exit(built, argv):
    """`briefkit list | head -1`: the reader leaves early; no BrokenPipeError traceback."""
    result = subprocess.run(f"{sys.executable} build.py {argv} | head -1", shell=True, cwd=built,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.count("\n") == 1, result.stdout
    assert result.stderr == "", result.stderr


def test_output_folder_elsewhere_and_project_folder_by_option(project, cli, tmp_path):
    elsewhere = tmp_path / "handouts"
    result = cli(tmp_path, "--project", str(project), "--output", str(elsewhere), "--kind", "brief", "-q")
    assert result.code == 0, result.output
    assert not (project / "briefings").exists()
    manifest = json.loads((elsewhere / "manifest.json").read_text())
    paths = [entry["path"] for entry in manifest["outputs"]]
    assert paths == ["handouts/nk-china/analysts/nk-china-brief-analysts.pdf"]
    assert (elsewhere / "nk-china/analysts/nk-china-brief-analysts.pdf").is_file()
    again = cli(tmp_path, "check", "--project", str(project), "--output", str(elsewhere), "--kind", "brief")
    assert again.code == 0, again.output


def test_an_output_folder_that_would_swallow_the_project_is_refused(project, cli):
    for folder in (project, project / "content", project.parent):
        result = cli(project, "--output", str(folder))
        assert result.code == 2 and "must not hold the project" in result.err, (folder, result.output)


def test_python_dash_m_briefkit_is_the_same_command(built):
    result = subprocess.run([sys.executable, "-m", "briefkit", "list"], cwd=built, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and PDF in result.stdout, result.stderr
