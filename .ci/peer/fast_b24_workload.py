"""One workload of fast_bitrix24 (PyPI) against a bitrix24-mock webhook.

usage: fast_b24_workload.py WEBHOOK_URL list|gets N
Prints one JSON line: {"wall": seconds, "ok": every item 1..N exactly once, "count": items}.
Used by .ci/peer-check.sh (a client no one here wrote) and by the runtime's throughput bench.
"""

import json
import sys
import time

from fast_bitrix24 import Bitrix


def main() -> int:
    url, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    bitrix = Bitrix(url, verbose=False, ssl=False)
    started = time.monotonic()
    if kind == "list":
        items = bitrix.get_all("crm.deal.list", params={"select": ["ID", "TITLE"]})
        ids = [int(item["ID"]) for item in items]
    elif kind == "gets":
        found = bitrix.get_by_ID("crm.deal.get", list(range(1, n + 1)))
        ids = [int(deal["ID"]) for deal in found.values()]
    else:
        raise SystemExit(f"unknown workload {kind!r}")
    wall = time.monotonic() - started
    ok = sorted(ids) == list(range(1, n + 1))
    print(json.dumps({"wall": wall, "ok": ok, "count": len(ids)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
