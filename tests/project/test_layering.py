"""The project's modules form layers, read from their import statements (those inside
functions too, so a circle cannot hide in a late import):

- forum.conventions, the Japanese print conventions, imports no Django and no project module;
- the kit (forum.images, forum.web, forum.conventions) imports no app: only itself;
- the project package (forum.settings, urls, wsgi, asgi) is imported by no app module;
- no two modules import each other, directly or round a longer circle;
- pages, feeds and sitemaps take what the public may see from articles.visibility.
"""

import ast
import os
import subprocess
import sys

from tests.support import REPO_ROOT as ROOT

PACKAGES = ("articles", "forum", "participants", "readings")
KIT = ("forum.images", "forum.web", "forum.conventions")
PROJECT_PACKAGE = ("forum.settings", "forum.urls", "forum.wsgi", "forum.asgi")


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """{module name: path} of every module of the apps, migrations left out."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[_module_name(path)] = path
    return modules


def _within(name, prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _resolve(name, modules):
    """The project module an imported name stands for (its longest known prefix), or None."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name, path, modules):
    """The project modules `name` imports, anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved and resolved != name:
                found.add(resolved)
    return found


def import_graph():
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def circles(graph):
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_the_imports_it_must_judge():
    graph = import_graph()
    assert "articles.visibility" in graph["forum.views"]
    assert "forum.conventions" in graph["articles.transcript.dates"]  # a relative package's absolute import
    assert "articles.transcript.i18n" in graph["articles.transcript.dates"]  # from .i18n import _
    assert "forum.images.validation" in graph["forum.apps"]  # an import inside a function


def test_no_module_imports_itself_round_a_circle():
    assert circles(import_graph()) == []


def test_circles_are_found_when_there_are_some():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_kit_imports_no_app():
    graph = import_graph()
    kit_modules = [name for name in graph if _within(name, KIT)]
    assert len(kit_modules) >= 8
    outside = {name: sorted(other for other in graph[name] if not _within(other, KIT)) for name in kit_modules}
    assert {name: others for name, others in outside.items() if others} == {}


def test_no_app_module_imports_the_project_package():
    graph = import_graph()
    offenders = {
        name: sorted(other for other in imported if _within(other, PROJECT_PACKAGE))
        for name, imported in graph.items()
        if not _within(name, PROJECT_PACKAGE)
    }
    assert {name: others for name, others in offenders.items() if others} == {}


def test_the_print_conventions_import_neither_django_nor_the_project():
    assert import_graph()["forum.conventions"] == set()
    script = (
        "import sys, forum.conventions\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_pages_feeds_and_sitemaps_ask_articles_visibility_what_is_public():
    modules = project_modules()
    public_facing = [name for name in modules if name.rpartition(".")[2] in {"views", "feeds", "sitemaps"}]
    assert len(public_facing) >= 6
    for name in public_facing:
        source = modules[name].read_text(encoding="utf-8")
        assert ".published(" not in source, name
        if "public_" in source:
            assert "articles.visibility" in import_graph()[name], name
