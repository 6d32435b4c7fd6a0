#!/usr/bin/env bash
# Side by side, one pupil of the demo school: first fetch of a new address (rendered from the
# database), the same address again (per-feed cache), and a revalidation (If-None-Match -> 304).
B=${1:-http://127.0.0.1:5212}; J=$2; N=${3:-30}
miss=0; hit=0; nm=0
for i in $(seq 1 $N); do
  url=$(curl -s -b $J -X POST $B/api/v1/timetable/feed | sed -E 's/.*"url":"([^"]+)".*/\1/')
  m=$(curl -s -o /dev/null -w '%{time_total}' "$url")
  h=$(curl -s -o /dev/null -w '%{time_total}' "$url")
  etag=$(curl -s -D - -o /dev/null "$url" | grep -i '^etag' | cut -d' ' -f2- | tr -d '\r')
  n=$(curl -s -o /dev/null -w '%{time_total}' -H "If-None-Match: $etag" "$url")
  miss=$(echo "$miss + $m" | bc -l); hit=$(echo "$hit + $h" | bc -l); nm=$(echo "$nm + $n" | bc -l)
done
printf 'N=%d  mean first fetch (render) %.1f ms  cached %.1f ms  304 %.1f ms  render/cached %.1fx\n' $N \
  $(echo "$miss*1000/$N" | bc -l) $(echo "$hit*1000/$N" | bc -l) $(echo "$nm*1000/$N" | bc -l) $(echo "$miss/$hit" | bc -l)
