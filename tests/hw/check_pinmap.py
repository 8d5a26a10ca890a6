#!/usr/bin/python3
"""check_pinmap.py - the schematic and the firmware's pin map agree.

firmware/board.h says which ATmega328P port bit each signal uses
(BM_PIN_<NET>_PORT / _BIT); the schematic names its nets with the same
<NET> labels.  This test exports the schematic's netlist with kicad-cli and
checks, for every net in board.h:

  * the net exists in the schematic, and the Arduino Nano pin that the
    port bit is on (PD0-7 = D0-7, PB0-5 = D8-13, PC0-5 = A0-5) is on it,
    and no other Nano pin is;
  * the net reaches what the signal is for: HX711_SCK both modules' SCK,
    HX711_DOUT_L / _R the DT of the left / right heel's module (the "Heel"
    field of the module), HX711_RATE both modules' RATE through the RATE
    jumper and resistor, LED_STATUS an LED (through its resistor) whose
    cathode is on GND;

and the other way round: every Nano pin that the schematic wires to a
signal (not +5V or GND) is named in board.h.  Besides the pin map it checks
the rest of each heel's wiring (supply, load-cell connector in colour order,
shield to ground) and that the wiring table in schematics/README-hardware.md
names the same Arduino pins as board.h, since that table is what people
solder from.

Then it proves it can fail: it runs the same checks on a board.h with one
pin moved, and on schematics with labels renamed or the two DOUT labels
swapped (re-exported through kicad-cli), and expects each to be rejected.

  check_pinmap.py --kicad-cli PATH --board firmware/board.h
                  --schematic schematics/bridgemon.kicad_sch
                  [--readme schematics/README-hardware.md]
"""

import argparse
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kicad_tools as kt  # noqa: E402

NANO_PART = "Arduino_Nano"
HX711_PART = "HX711_Module"
CONN_PART = "LoadCell_Conn"
POWER_NETS = ("+5V", "GND")


def parse_board_h(text):
	"""{net: {"port": "D", "bit": 4, "comment_pin": "D4" or None}} from board.h."""
	pins = {}
	for m in re.finditer(r"^\s*#define\s+BM_PIN_([A-Z0-9_]+)_PORT\s+([A-Z])\b", text, re.M):
		pins.setdefault(m.group(1), {})["port"] = m.group(2)
	for m in re.finditer(r"^\s*#define\s+BM_PIN_([A-Z0-9_]+)_BIT\s+(\d+)\b(.*)$", text, re.M):
		entry = pins.setdefault(m.group(1), {})
		entry["bit"] = int(m.group(2))
		c = re.search(r"Arduino\s+(D\d+|A\d)\b", m.group(3))
		entry["comment_pin"] = c.group(1) if c else None
	return pins


def arduino_pin(port, bit):
	"""The Nano's name for an ATmega328P port bit, or None if the Nano has
	no header pin for it (PB6/7 carry the crystal, PC6 is reset)."""
	if port == "D" and 0 <= bit <= 7:
		return f"D{bit}"
	if port == "B" and 0 <= bit <= 5:
		return f"D{8 + bit}"
	if port == "C" and 0 <= bit <= 5:
		return f"A{bit}"
	return None


def pin_base(name):
	"""'D0/RX' -> 'D0': the Arduino name of a Nano pin."""
	return name.split("/")[0]


class Checker:
	def __init__(self, nl):
		self.nl = nl
		self.problems = []

	def fail(self, msg):
		self.problems.append(msg)

	def parts(self, part):
		return self.nl.refs_of_part(part)

	def heel_of(self, ref):
		return self.nl.components[ref]["fields"].get("Heel", "")

	def pin_by_name(self, ref, name):
		pins = self.nl.pins_named(ref, name)
		if len(pins) != 1:
			self.fail(f"{ref}: expected one pin named {name}, found {pins}")
			return None
		return pins[0]

	def reaches(self, start_net, ref, pin_name, via_parts=("R", "JP"), depth=3):
		"""True if pin `pin_name` of `ref` is on start_net or on a net
		joined to it through two/three-terminal passives (resistors,
		jumpers) whose references start with via_parts."""
		target = self.pin_by_name(ref, pin_name)
		if target is None:
			return False
		seen = {start_net}
		frontier = [start_net]
		for _ in range(depth + 1):
			nxt = []
			for net in frontier:
				for r, p, _f in self.nl.nets.get(net, []):
					if r == ref and p == target:
						return True
					if r.rstrip("0123456789") in via_parts:
						for other_net, nodes in self.nl.nets.items():
							if other_net in seen or other_net in POWER_NETS:
								continue
							if any(r2 == r for r2, _p, _f in nodes):
								seen.add(other_net)
								nxt.append(other_net)
			frontier = nxt
		return False

	def check_pinmap(self, board):
		nanos = self.parts(NANO_PART)
		if len(nanos) != 1:
			self.fail(f"expected one {NANO_PART} in the schematic, found {nanos}")
			return
		nano = nanos[0]
		expected_nano_pins = {}
		for net, e in sorted(board.items()):
			if "port" not in e or "bit" not in e:
				self.fail(f"board.h: BM_PIN_{net} needs both _PORT and _BIT")
				continue
			want = arduino_pin(e["port"], e["bit"])
			if want is None:
				self.fail(f"board.h: {net} on P{e['port']}{e['bit']}, which is not a Nano header pin")
				continue
			if e.get("comment_pin") and e["comment_pin"] != want:
				self.fail(f"board.h: {net} is P{e['port']}{e['bit']} = Arduino {want}, "
					  f"but its comment says Arduino {e['comment_pin']}")
			expected_nano_pins[want] = net
			nodes = self.nl.nets.get(net)
			if nodes is None:
				self.fail(f"{net}: board.h has it (Arduino {want}), the schematic has no net labelled {net}")
				continue
			on_net = sorted(pin_base(f) for r, _p, f in nodes if r == nano)
			if on_net != [want]:
				self.fail(f"{net}: board.h puts it on Arduino {want} (P{e['port']}{e['bit']}); "
					  f"in the schematic the Nano pins on it are {on_net or 'none'}")
		# The other way round: Nano pins wired to signals board.h does not know.
		for net, nodes in sorted(self.nl.nets.items()):
			if net in POWER_NETS or net.startswith("unconnected-"):
				continue
			for r, _p, f in nodes:
				if r == nano and pin_base(f) not in expected_nano_pins:
					self.fail(f"schematic wires Nano pin {f} to net {net}, but board.h assigns nothing to Arduino {pin_base(f)}")

	def check_devices(self, board):
		mods = self.parts(HX711_PART)
		by_heel = {self.heel_of(r): r for r in mods}
		if sorted(by_heel) != ["left", "right"] or len(mods) != 2:
			self.fail(f"expected two {HX711_PART} with Heel=left and Heel=right, found "
				  f"{[(r, self.heel_of(r)) for r in mods]}")
			return
		for net, e in sorted(board.items()):
			if net not in self.nl.nets:
				continue
			if net == "HX711_SCK":
				for m in mods:
					if not self.reaches(net, m, "SCK", via_parts=()):
						self.fail(f"HX711_SCK does not reach {m} SCK")
			elif net in ("HX711_DOUT_L", "HX711_DOUT_R"):
				heel = "left" if net.endswith("_L") else "right"
				other = "right" if heel == "left" else "left"
				if not self.reaches(net, by_heel[heel], "DT", via_parts=()):
					self.fail(f"{net} does not reach DT of the {heel} heel's module {by_heel[heel]}")
				if self.reaches(net, by_heel[other], "DT", via_parts=()):
					self.fail(f"{net} reaches DT of the {other} heel's module {by_heel[other]}")
			elif net == "HX711_RATE":
				for m in mods:
					if not self.reaches(net, m, "RATE"):
						self.fail(f"HX711_RATE does not reach {m} RATE (through the jumper/resistor)")
			elif net == "LED_STATUS":
				self.check_led(net)
			else:
				print(f"note: board.h net {net} has no device check here (only its Nano pin was checked)")

	def check_led(self, net):
		leds = [r for r, c in self.nl.components.items() if c["part"] == "LED"]
		ok = False
		for d in leds:
			anode = self.nl.net_of(d, "2")
			cathode = self.nl.net_of(d, "1")
			if cathode != "GND":
				continue
			if anode == net:
				ok = True
			for r, p, _f in self.nl.nets.get(net, []):
				if r.startswith("R") and r[1:].isdigit():
					other = "2" if p == "1" else "1"
					if self.nl.net_of(r, other) == anode:
						ok = True
		if not ok:
			self.fail(f"{net} does not drive an LED (anode via a resistor, cathode on GND)")

	def check_heels(self):
		conns = {self.heel_of(r): r for r in self.parts(CONN_PART)}
		for m in self.parts(HX711_PART):
			heel = self.heel_of(m)
			if self.nl.net_of(m, self.pin_by_name(m, "VCC")) != "+5V":
				self.fail(f"{m} VCC is not on +5V")
			if self.nl.net_of(m, self.pin_by_name(m, "GND")) != "GND":
				self.fail(f"{m} GND is not on GND")
			j = conns.get(heel)
			if j is None:
				self.fail(f"no {CONN_PART} with Heel={heel} for {m}")
				continue
			for jpin, mpin in (("1", "E+"), ("2", "E-"), ("3", "A-"), ("4", "A+")):
				mnet = self.nl.net_of(m, self.pin_by_name(m, mpin))
				jnet = self.nl.net_of(j, jpin)
				if mnet is None or mnet != jnet:
					self.fail(f"{j} pin {jpin} should be wired to {m} {mpin}")
			if self.nl.net_of(j, "5") != "GND":
				self.fail(f"{j} pin 5 (cable shield) is not on GND")


def check_readme(readme_text, board, name="README-hardware.md"):
	"""The README's wiring table names the same Arduino pins as board.h:
	each table row that mentions a net in `backticks` must name its pin."""
	problems = []
	rows = [ln for ln in readme_text.splitlines() if ln.lstrip().startswith("|")]
	for net, e in sorted(board.items()):
		want = arduino_pin(e.get("port", "?"), e.get("bit", -1))
		hits = [r for r in rows if f"`{net}`" in r]
		if not hits:
			problems.append(f"{name}: no wiring-table row mentions `{net}`")
			continue
		for r in hits:
			named = set(re.findall(r"\b(D1[0-3]|D[0-9]|A[0-7])\b", r))
			if want not in named or len(named) != 1:
				problems.append(f"{name}: the row for `{net}` names {sorted(named) or 'no pin'}, "
						f"board.h says Arduino {want}: {r.strip()}")
	return problems


def run_checks(board_text, netlist):
	board = parse_board_h(board_text)
	if not board:
		return ["board.h: no BM_PIN_<NET>_PORT/_BIT definitions found"]
	c = Checker(netlist)
	c.check_pinmap(board)
	c.check_devices(board)
	c.check_heels()
	return c.problems


def negative_controls(args, board_text, sch_text, tmp):
	"""Each mutation must make the checks fail; returns the ones that did not."""
	escaped = []
	base_nl = None

	def netlist_of(text, name):
		d = os.path.join(tmp, name)
		sch = kt.copy_project(args.schematic, d)
		with open(sch, "w", encoding="utf-8") as f:
			f.write(text)
		return kt.export_netlist(args.kicad_cli, sch, d)

	base_nl = netlist_of(sch_text, "control-base")
	board = parse_board_h(board_text)
	# 1. board.h with one pin moved to a free bit of its port, comment and
	#    all, so that only the comparison with the schematic can catch it.
	net = "HX711_DOUT_L" if "HX711_DOUT_L" in board else sorted(board)[0]
	e = board[net]
	used = {(v.get("port"), v.get("bit")) for v in board.values()}
	free = [b for b in range(8) if (e["port"], b) not in used and arduino_pin(e["port"], b)
		and not (e["port"] == "D" and b < 2)]
	new_bit = free[0]
	old_pin, new_pin = arduino_pin(e["port"], e["bit"]), arduino_pin(e["port"], new_bit)
	moved = re.sub(rf"(#define\s+BM_PIN_{net}_BIT\s+)(\d+)(.*)",
		       lambda m: m.group(1) + str(new_bit) + m.group(3).replace(f"Arduino {old_pin}", f"Arduino {new_pin}"),
		       board_text)
	controls = [(f"board.h with {net} moved from Arduino {old_pin} to {new_pin}", moved, base_nl)]
	# 2. schematic with a label renamed (the net disappears).
	controls.append(("schematic with HX711_SCK labels renamed", board_text,
			 netlist_of(sch_text.replace('(label "HX711_SCK"', '(label "HX711_SCLK"'), "control-rename")))
	# 3. schematic with the two DOUT labels swapped at both ends (left/right crossed).
	swapped = (sch_text.replace('(label "HX711_DOUT_L"', '(label "@@L@@"')
		   .replace('(label "HX711_DOUT_R"', '(label "HX711_DOUT_L"')
		   .replace('(label "@@L@@"', '(label "HX711_DOUT_R"'))
	controls.append(("schematic with HX711_DOUT_L and _R swapped", board_text, netlist_of(swapped, "control-swap")))
	# 4. schematic with the LED label renamed (D13 no longer on LED_STATUS).
	controls.append(("schematic with LED_STATUS label renamed", board_text,
			 netlist_of(sch_text.replace('(label "LED_STATUS"', '(label "LED_STAT"'), "control-led")))
	for what, btext, nl in controls:
		probs = run_checks(btext, nl)
		if probs:
			print(f"ok: negative control rejected: {what} ({probs[0]})")
		else:
			escaped.append(what)
	return escaped


def main(argv):
	ap = argparse.ArgumentParser(description="schematic netlist vs firmware/board.h")
	ap.add_argument("--kicad-cli", required=True)
	ap.add_argument("--board", required=True)
	ap.add_argument("--schematic", required=True)
	ap.add_argument("--readme", action="append", default=[],
			help="a README with a wiring table (may be given more than once)")
	ap.add_argument("--no-controls", action="store_true", help="skip the negative controls")
	args = ap.parse_args(argv)
	with open(args.board, encoding="utf-8") as f:
		board_text = f.read()
	with open(args.schematic, encoding="utf-8") as f:
		sch_text = f.read()
	failed = 0
	passed = 0
	with tempfile.TemporaryDirectory(prefix="bm-hw-pinmap-") as tmp:
		try:
			sch = kt.copy_project(args.schematic, os.path.join(tmp, "project"))
			nl = kt.export_netlist(args.kicad_cli, sch, os.path.join(tmp, "project"))
			problems = run_checks(board_text, nl)
			board = parse_board_h(board_text)
			for net, e in sorted(board.items()):
				print(f"board.h {net}: P{e.get('port')}{e.get('bit')} = Arduino "
				      f"{arduino_pin(e.get('port', '?'), e.get('bit', -1))}")
			for readme in args.readme:
				with open(readme, encoding="utf-8") as f:
					problems += check_readme(f.read(), board, os.path.basename(readme))
			for p in problems:
				print(f"FAIL: {p}")
			failed += bool(problems)
			passed += not problems
			if not problems:
				print(f"ok: {len(board)} nets of board.h match the schematic's netlist"
				      + (" and the wiring tables of " + ", ".join(map(os.path.basename, args.readme))
					 if args.readme else ""))
			if not args.no_controls:
				escaped = negative_controls(args, board_text, sch_text, tmp)
				for what in escaped:
					print(f"FAIL: negative control not rejected (the check cannot fail?): {what}")
				failed += bool(escaped)
				passed += not escaped
		except (kt.CheckError, ValueError, OSError) as e:
			print(f"FAIL: {e}")
			failed += 1
	print(f"pinmap: {passed} passed, {failed} failed")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
