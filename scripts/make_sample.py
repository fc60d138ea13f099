"""Regenerate the Jiangsu sample workbook `projects.xlsx` from its fixed seed.

python scripts/make_sample.py [PATH]
"""

import sys

from optimizer.sample import build_sample
from optimizer.template import write_workbook

if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "projects.xlsx"
    write_workbook(build_sample(), target)
    print(f"wrote {target}")
