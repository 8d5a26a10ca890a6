"""kicad_tools.py - what the hardware checks share: running kicad-cli in a
scratch home, copying the KiCad project somewhere it may scribble, and
reading KiCad's S-expression files.

Why a scratch home: kicad-cli writes its settings (and library tables) into
$HOME on first run, and prints a first-run notice.  Tests must neither
depend on nor change the user's KiCad settings, so every run gets a fresh
HOME and XDG folders inside the test's own temporary folder.

Why a copy of the project: kicad-cli may update files next to the
schematic (the ERC writes its report, KiCad may rewrite the .kicad_pro), and
meson runs tests in parallel; each test works on its own copy.

Standard library only, so the checks run under any python3.
"""

import os
import re
import shutil
import subprocess

# The files that make up the KiCad project (written by gen_schematic.py).
PROJECT_FILES = ("bridgemon.kicad_sch", "bridgemon.kicad_pro",
		 "bridgemon.kicad_sym", "sym-lib-table")


class CheckError(Exception):
	"""A check could not run (as opposed to finding a problem)."""


def scratch_env(tmp):
	"""Environment for kicad-cli with HOME and XDG folders under tmp."""
	env = dict(os.environ)
	home = os.path.join(tmp, "home")
	for sub in ("", ".config", ".cache", ".local/share"):
		os.makedirs(os.path.join(home, sub), exist_ok=True)
	env["HOME"] = home
	env["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
	env["XDG_CACHE_HOME"] = os.path.join(home, ".cache")
	env["XDG_DATA_HOME"] = os.path.join(home, ".local/share")
	# Headless: kicad-cli needs no display; make sure it does not try one.
	env.pop("DISPLAY", None)
	env.pop("WAYLAND_DISPLAY", None)
	return env


def run_kicad(kicad_cli, args, tmp, check=True):
	"""Run kicad-cli with a scratch home; returns the CompletedProcess.
	Raises CheckError when check is true and kicad-cli fails."""
	cmd = [kicad_cli] + list(args)
	try:
		proc = subprocess.run(cmd, env=scratch_env(tmp), cwd=tmp,
				      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
				      universal_newlines=True, timeout=300)
	except OSError as e:
		raise CheckError(f"cannot run {kicad_cli}: {e}")
	if check and proc.returncode != 0:
		raise CheckError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
	return proc


def kicad_version(kicad_cli, tmp):
	"""The version kicad-cli reports, e.g. "9.0.8"."""
	return run_kicad(kicad_cli, ["version"], tmp).stdout.strip().splitlines()[-1].strip()


def copy_project(schematic, dest):
	"""Copy the project files that sit next to `schematic` into dest;
	returns the path of the copied schematic."""
	src = os.path.dirname(os.path.abspath(schematic))
	os.makedirs(dest, exist_ok=True)
	for name in PROJECT_FILES:
		p = os.path.join(src, name)
		if os.path.exists(p):
			shutil.copy2(p, os.path.join(dest, name))
	return os.path.join(dest, os.path.basename(schematic))


# --- S-expressions --------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([^\s()"]+))', re.S)


class Sym(str):
	"""An unquoted atom, told apart from a quoted string."""


def parse_sexpr(text):
	"""Parse one S-expression into nested lists of Sym and str."""
	stack = [[]]
	pos = 0
	n = len(text)
	while pos < n:
		m = _TOKEN.match(text, pos)
		if not m:
			if text[pos:].strip() == "":
				break
			raise ValueError(f"S-expression syntax error at offset {pos}: {text[pos:pos + 40]!r}")
		pos = m.end()
		if m.group(1):
			stack.append([])
		elif m.group(2):
			if len(stack) < 2:
				raise ValueError(f"unbalanced ')' at offset {pos}")
			done = stack.pop()
			stack[-1].append(done)
		elif m.group(3) is not None:
			stack[-1].append(re.sub(r"\\(.)", r"\1", m.group(3)))
		else:
			stack[-1].append(Sym(m.group(4)))
	if len(stack) != 1 or len(stack[0]) != 1:
		raise ValueError("unbalanced S-expression")
	return stack[0][0]


def children(node, head):
	"""The sub-lists of node whose first atom is head."""
	return [c for c in node if isinstance(c, list) and c and c[0] == head]


def child(node, head):
	"""The first sub-list with that head, or None."""
	for c in node:
		if isinstance(c, list) and c and c[0] == head:
			return c
	return None


def value(node, head, default=None):
	"""The first atom after head in the first (head ...) sub-list."""
	c = child(node, head)
	if c is None or len(c) < 2:
		return default
	return c[1]


# --- netlists -------------------------------------------------------------

class Netlist:
	"""A KiCad S-expression netlist ("kicadsexpr", version E).

	components: ref -> {"value", "lib", "part", "fields": {name: text}}
	nets:       name (without the root sheet's "/") -> [(ref, pin, pinfunction)]
	"""

	def __init__(self, text):
		tree = parse_sexpr(text)
		if not tree or tree[0] != "export":
			raise ValueError("not a KiCad netlist (no (export ...))")
		self.components = {}
		for comp in children(child(tree, "components") or [], "comp"):
			ref = value(comp, "ref")
			lib = child(comp, "libsource") or []
			fields = {}
			for f in children(child(comp, "fields") or [], "field"):
				name = value(f, "name")
				text_ = f[2] if len(f) > 2 and not isinstance(f[2], list) else ""
				fields[name] = text_
			self.components[ref] = {
				"value": value(comp, "value", ""),
				"lib": value(lib, "lib", ""),
				"part": value(lib, "part", ""),
				"fields": fields,
			}
		self.nets = {}
		for net in children(child(tree, "nets") or [], "net"):
			name = value(net, "name", "")
			if name.startswith("/"):
				name = name[1:]
			nodes = []
			for nd in children(net, "node"):
				nodes.append((value(nd, "ref"), value(nd, "pin"), value(nd, "pinfunction", "")))
			self.nets[name] = nodes

	def net_of(self, ref, pin):
		"""The name of the net that pin `pin` of `ref` is on, or None."""
		for name, nodes in self.nets.items():
			for r, p, _f in nodes:
				if r == ref and p == pin:
					return name
		return None

	def pins_named(self, ref, pinfunction):
		"""Pin numbers of ref whose name is pinfunction."""
		out = []
		for nodes in self.nets.values():
			for r, p, f in nodes:
				if r == ref and f == pinfunction:
					out.append(p)
		return sorted(set(out))

	def refs_of_part(self, part):
		return sorted(r for r, c in self.components.items() if c["part"] == part)


def export_netlist(kicad_cli, schematic, tmp):
	"""Export the schematic's netlist with kicad-cli and parse it."""
	out = os.path.join(tmp, "netlist.net")
	run_kicad(kicad_cli, ["sch", "export", "netlist", "--format", "kicadsexpr", "-o", out, schematic], tmp)
	with open(out, encoding="utf-8") as f:
		return Netlist(f.read())
