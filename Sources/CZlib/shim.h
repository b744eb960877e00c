// zlib, for BlackboardStorage only: crc32() for record checksums and
// compress2()/uncompress() for snapshots.
#include <zlib.h>
