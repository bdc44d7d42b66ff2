# The snapshot image commands: image build writes the image beside the
# store, image show says what a server would make of it (exit status 0 when
# current, 10 when not: missing, behind the store, refused and why), image
# remove removes it and nothing else; --dry-run writes and removes nothing;
# bad arguments and the options they do not take are refused. Every size
# printed is masked with the image file's size at that moment (a size that
# is not the file's would show as a number).
A='appid={4dc3e181-e14b-4a21-b022-59fc669b0914}'
IMAGE=$WORK/store/bindings.db.snapshot
SIZES=0
# Masks the image's current size (as <SIZE1>, <SIZE2>, ...).
mask_size() {
  SIZES=$((SIZES + 1))
  mask "$(stat -c %s "$IMAGE")" "SIZE$SIZES"
}
# image_unchanged ARGS...: as unchanged, and the image file too.
image_unchanged() {
  local before after
  before=$(sha256sum "$IMAGE" 2> /dev/null || echo "(no image)")
  unchanged "$@"
  after=$(sha256sum "$IMAGE" 2> /dev/null || echo "(no image)")
  if [ "$before" == "$after" ]; then
    note "image unchanged"
  else
    note "IMAGE CHANGED"
  fi
}

note "no store: nothing to make an image of (not found, exit 3)"
unchanged image show
unchanged image build
unchanged --json image remove

run add sslcert ccs=443 $A
run add sslcert hostnameport=www.contoso.com:443 certhash=0102030405060708090a0b0c0d0e0f1011121314 $A certstorename=MY --no-verify
note "a store without an image: missing (exit 10)"
run image show
run --json image show
note "a dry run loads the store and writes nothing"
image_unchanged image build --dry-run
image_unchanged --json image build --dry-run
image_unchanged image remove --dry-run
run image build
mask_size
note "files: $(cd "$WORK/store" && echo *)"
run image show
run --json image show

note "a change after it: behind, used with the journal since (exit 10)"
run add sslcert ipport=0.0.0.0:443 certhash=0102030405060708090a0b0c0d0e0f1011121314 $A --no-verify
image_unchanged image show
run --json image build
mask_size
run image show

note "made from another store file (the store replaced by a copy of it)"
mv "$STORE" "$WORK/original.db"
cp "$WORK/original.db" "$STORE"
image_unchanged image show
mv "$WORK/original.db" "$STORE"

note "the journal since compacted away: stale (a server loads the store)"
run add sslcert ipport=0.0.0.0:444 certhash=0102030405060708090a0b0c0d0e0f1011121314 $A --no-verify
run add sslcert ipport=0.0.0.0:445 certhash=0102030405060708090a0b0c0d0e0f1011121314 $A --no-verify
run delete sslcert ipport=0.0.0.0:445
run history --compact-before 6
image_unchanged image show
run image build
mask_size

note "a byte changed: refused, and why"
size=$(stat -c %s "$IMAGE")
printf 'CORRUPT!' | dd of="$IMAGE" bs=1 seek=$((size - 8)) conv=notrunc status=none
image_unchanged image show
note "writable by group: not trusted"
run image build
chmod g+w "$IMAGE"
image_unchanged --json image show
note "cut short"
run image build
truncate -s 100 "$IMAGE"
image_unchanged image show
note "a build replaces whatever is there"
run image build
mask_size
run image show

note "remove takes the image away, and nothing else; twice is not an error"
touch "$IMAGE.tmp-ABCDEF"
image_unchanged image remove --dry-run
image_unchanged --json image remove --dry-run
image_unchanged image remove
note "files: $(cd "$WORK/store" && echo *)"
image_unchanged image remove
image_unchanged --json image remove
image_unchanged image remove --dry-run
run image show

note "bad arguments and options these commands do not take (exit 2)"
image_unchanged image
image_unchanged image frobnicate
image_unchanged image show extra
image_unchanged image build --force
image_unchanged --json image remove now
image_unchanged image show --dry-run
image_unchanged image build --reason why
image_unchanged image remove --expect-revision 3
image_unchanged image build --no-verify
image_unchanged --json image show --dry-run
run image build --help
