#!/usr/bin/python3
"""Extracts the cases of Hydra's own override-parser tests (tests/test_overrides_parser.py of
facebookresearch/hydra) that need no config and no Python function of the test's own, as
`run_sweep --parse` would be asked them: one JSON object per case with the override text and
what Hydra gives (a value, a sweep, a key, or an error). The test file is executed with small
stand-ins for pytest and Hydra's types, so only its parameter tables are read.
Usage: hydra_override_cases.py HYDRA_TESTS/test_overrides_parser.py > tests/config/hydra_override_cases.json"""
import dataclasses
import decimal
import enum
import json
import math
import sys
import types

source_path = sys.argv[1]
recorded = []  # (test name, argument names, cases)


class Raises:
    def __init__(self, exception=None, match=None):
        self.match = match

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True

    def __class_getitem__(cls, item):
        return cls


def param(*values, id=None, marks=None):
    return ("param", values, id)


class Mark:
    def parametrize(self, names, cases):
        def decorate(function):
            names_list = names.split(",") if isinstance(names, str) else list(names)
            recorded.append((function.__name__, [n.strip() for n in names_list], cases))
            return function
        return decorate


pytest = types.ModuleType("pytest")
pytest.mark, pytest.param, pytest.raises, pytest.warns = Mark(), param, Raises, Raises
raises_module = types.ModuleType("_pytest.raises")
raises_module.RaisesExc = Raises


class Quote(enum.Enum):
    single = 0
    double = 1


@dataclasses.dataclass
class QuotedString:
    text: str
    quote: Quote = Quote.single


class Sweep:
    pass


@dataclasses.dataclass
class ChoiceSweep(Sweep):
    list: list = dataclasses.field(default_factory=list)
    simple_form: bool = False
    tags: set = dataclasses.field(default_factory=set)
    shuffle: bool = False


@dataclasses.dataclass
class RangeSweep(Sweep):
    start: float = 0
    stop: float = 0
    step: float = 1
    tags: set = dataclasses.field(default_factory=set)
    shuffle: bool = False


@dataclasses.dataclass
class IntervalSweep(Sweep):
    start: float = 0
    end: float = 0
    tags: set = dataclasses.field(default_factory=set)


@dataclasses.dataclass
class Glob:
    include: list = dataclasses.field(default_factory=list)
    exclude: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Key:
    key_or_group: str
    package: str = None


@dataclasses.dataclass
class ListExtensionOverrideValue:
    values: list


class OverrideType(enum.Enum):
    CHANGE = 1
    ADD = 2
    FORCE_ADD = 3
    DEL = 4
    EXTEND_LIST = 5


class ValueType(enum.Enum):
    ELEMENT = 1
    CHOICE_SWEEP = 2
    GLOB_CHOICE_SWEEP = 3
    SIMPLE_CHOICE_SWEEP = 4
    RANGE_SWEEP = 5
    INTERVAL_SWEEP = 6


@dataclasses.dataclass
class Override:
    type: OverrideType = OverrideType.CHANGE
    key_or_group: str = ""
    value_type: ValueType = None
    _value: object = None
    package: str = None
    input_line: str = None
    config_loader: object = None


class Anything:
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return Anything()

    def __getattr__(self, name):
        return Anything()


modules = {
    "pytest": pytest, "_pytest": types.ModuleType("_pytest"), "_pytest.raises": raises_module,
    "hydra": types.ModuleType("hydra"), "hydra._internal": types.ModuleType("hydra._internal"),
    "hydra._internal.grammar": types.ModuleType("hydra._internal.grammar"),
    "hydra._internal.grammar.functions": types.ModuleType("f"),
    "hydra._internal.grammar.utils": types.ModuleType("u"),
    "hydra.core": types.ModuleType("hydra.core"),
    "hydra.core.override_parser": types.ModuleType("p"),
    "hydra.core.override_parser.overrides_parser": types.ModuleType("o"),
    "hydra.core.override_parser.types": types.ModuleType("t"), "hydra.errors": types.ModuleType("e"),
}
modules["hydra._internal.grammar"].grammar_functions = Anything()
modules["hydra._internal.grammar.functions"].Functions = Anything
modules["hydra._internal.grammar.utils"].escape_special_characters = Anything()
modules["hydra.core.override_parser.overrides_parser"].OverridesParser = Anything
modules["hydra.core.override_parser.overrides_parser"].create_functions = Anything()
for name, value in dict(ChoiceSweep=ChoiceSweep, FloatRange=Anything, Glob=Glob,
                        IntervalSweep=IntervalSweep, Key=Key,
                        ListExtensionOverrideValue=ListExtensionOverrideValue,
                        Override=Override, OverrideType=OverrideType, Quote=Quote,
                        QuotedString=QuotedString, RangeSweep=RangeSweep, Sweep=Sweep,
                        Transformer=Anything, ValueType=ValueType).items():
    setattr(modules["hydra.core.override_parser.types"], name, value)
modules["hydra.errors"].HydraException = Exception
sys.modules.update(modules)
exec(compile(open(source_path).read(), source_path, "exec"), {"__name__": "hydra_tests"})


def range_values(start, stop, step):
    if all(isinstance(x, int) and not isinstance(x, bool) for x in (start, stop, step)):
        return list(range(start, stop, step))
    start, stop, step = (decimal.Decimal(str(x)) for x in (start, stop, step))
    values, i = [], 0
    while True:
        current = start + step * i
        if (step > 0 and current >= stop) or (step < 0 and current <= stop) or step == 0:
            return values
        values.append(float(current))
        i += 1


def plain(value):
    """A parsed value as our JSON shows it."""
    if isinstance(value, QuotedString):
        return value.text
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {("null" if k is None else str(k).lower() if isinstance(k, bool) else str(k)):
                plain(v) for k, v in value.items()}
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return {"float": str(value)}
    return value


def expected_json(value):
    """What our --parse prints after the key and op, for Hydra's parsed value."""
    if isinstance(value, ChoiceSweep):
        out = {"sweep": True, "kind": "simple" if value.simple_form else "choice"}
        if value.tags:
            out["tags"] = sorted(value.tags)
        if value.shuffle:
            out["shuffled"] = True
            out["values_any_order"] = plain(value.list)
        else:
            out["values"] = plain(value.list)
        return out
    if isinstance(value, RangeSweep):
        out = {"sweep": True, "kind": "range"}
        if value.tags:
            out["tags"] = sorted(value.tags)
        values = range_values(value.start, value.stop, value.step)
        if value.shuffle:
            out["shuffled"] = True
            out["values_any_order"] = values
        else:
            out["values"] = values
        return out
    if isinstance(value, IntervalSweep):
        out = {"sweep": True, "kind": "interval"}
        if value.tags:
            out["tags"] = sorted(value.tags)
        out["interval"] = [float(value.start), float(value.end)]
        out["values"] = []
        return out
    if isinstance(value, Glob):
        return {"sweep": True, "kind": "glob", "glob": {"include": value.include,
                                                        "exclude": value.exclude}, "values": []}
    if isinstance(value, ListExtensionOverrideValue):
        return {"unsupported": "extend_list"}
    return {"sweep": False, "value": plain(value)}


cases = []


# Cases Hydra passes only because its test parses one grammar rule, which may stop before the end
# of the text: as a whole override Hydra refuses them too.
RULE_LEVEL_ONLY = {"x=shuffle(float(range(10,1))))": "a fourth ')' that the whole-override rule "
                                                      "refuses"}


def add(test, text, expected, case_id):
    if text in RULE_LEVEL_ONLY:
        cases.append({"test": test, "id": case_id, "override": text, "skip": RULE_LEVEL_ONLY[text]})
    elif isinstance(expected, Raises):
        cases.append({"test": test, "id": case_id, "override": text, "error": True})
    elif isinstance(expected, dict) and "unsupported" in expected:
        cases.append({"test": test, "id": case_id, "override": text, "skip": expected["unsupported"]})
    else:
        cases.append({"test": test, "id": case_id, "override": text, "expected": expected})


VALUE_RULES = {"test_element", "test_value", "test_list_container", "test_dict_container",
               "test_choice_sweep", "test_simple_choice_sweep", "test_range_sweep",
               "test_interval_sweep", "test_primitive", "test_primitive_quoted_string",
               "test_tag_sweep", "test_sort", "test_sweep_shuffle"}
OP = {OverrideType.CHANGE: "change", OverrideType.ADD: "add", OverrideType.FORCE_ADD: "force_add",
      OverrideType.DEL: "delete", OverrideType.EXTEND_LIST: "extend_list"}
for test, names, table in recorded:
    for item in table:
        values, case_id = (item[1], item[2]) if isinstance(item, tuple) and item[0] == "param" \
            else (tuple(item), None)
        row = dict(zip(names, values))
        if test in VALUE_RULES:
            expected = row.get("expected")
            expected = expected if isinstance(expected, Raises) else expected_json(expected)
            add(test, "x=" + row["value"], expected, case_id)
        elif test == "test_cast_conversions":
            for field in ("int", "float", "bool", "str"):
                result = getattr(row["expected_value"], field)
                add(test, f"x={field}({row['value']})",
                    result if isinstance(result, Raises) else expected_json(result), case_id)
        elif test in ("test_key",):
            key = row["expected"]
            add(test, row["value"] + "=1", {"key": key.key_or_group, "package": key.package},
                case_id)
        elif test in ("test_override", "test_whitespaces") and "expected_key" in row:
            prefixes = [("", OverrideType.CHANGE)]
            if test == "test_override":
                prefixes = [("", OverrideType.CHANGE), ("+", OverrideType.ADD),
                            ("++", OverrideType.FORCE_ADD), ("~", OverrideType.DEL)]
            for prefix, kind in prefixes:
                out = {"key": row["expected_key"], "op": OP[kind]}
                out.update(expected_json(row["expected_value"]))
                add(test, prefix + row["value"], out, case_id)
        elif test == "test_override_del":
            expected = row["expected"]
            out = {"key": expected.key_or_group, "op": "delete"}
            if expected.value_type is not None:
                out.update(expected_json(expected._value))
            add(test, row["value"], out, case_id)
        elif test == "test_parse_errors":
            rule, text = row["rule"], row["value"]
            override = text if rule == "override" else text + "=1" if rule == "key" else "x=" + text
            add(test, override, row["expected"], case_id)
json.dump(cases, sys.stdout, indent=1)
print()
print(f"{len(cases)} cases from {len(recorded)} parameter tables", file=sys.stderr)
