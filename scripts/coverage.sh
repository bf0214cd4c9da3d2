#!/usr/bin/env bash
# Line coverage of model/ by the model's unit tests (gcov), per file and in total.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset coverage >/dev/null
cmake --build build-coverage -j "$(nproc)" --target model_tests >/dev/null
find build-coverage -name '*.gcda' -delete
build-coverage/tests/model_tests >/dev/null
cd build-coverage
for f in $(find model/CMakeFiles/model.dir -name '*.gcda'); do gcov -n -o "$(dirname "$f")" "$f" 2>/dev/null; done |
python3 -c '
import re, sys
res = {}
for m in re.finditer(r"File .([^\x27]+).\nLines executed:([\d.]+)% of (\d+)", sys.stdin.read()):
    f, p, n = m.group(1), float(m.group(2)), int(m.group(3))
    if "/model/" in f and f.endswith(".cpp"):
        res[f.split("/model/", 1)[1]] = (p, n)
for f, (p, n) in sorted(res.items()):
    print(f"model/{f:28s} {p:6.2f}% of {n}")
tot = sum(n for _, n in res.values())
print(f"total: {sum(p * n / 100 for p, n in res.values()) / tot * 100:.1f}% of {tot} lines in model/*.cpp")
'
