# The longest time another writer waited for the store's write lock, in ms, printed on SIGTERM.
# Usage: python3 Benchmarks/lock-probe.py STORE.db > probe.txt &   (then kill -TERM it)
# Never sleeps in SQLite's busy handler (timeout 0): retries every millisecond, so the longest wait it sees is
# the longest stretch in which no other writer could get the lock, within about a millisecond.
import sqlite3, sys, time, signal
db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
worst = 0.0
def done(*_):
    print(f"{worst * 1000:.1f}")
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    t = time.monotonic()
    while True:
        try:
            db.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError:
            time.sleep(0.001)
    worst = max(worst, time.monotonic() - t)
    db.execute("COMMIT")
    time.sleep(0.005)
