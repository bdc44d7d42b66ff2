// Internal: the control bytes of the exact-name cells.
//
// The cells of a million names are 100 MB: each one a lookup reads is a
// cache miss. Beside them lies one control byte a cell (1.7 MB for a million
// names, small enough to stay in the processor's cache): kEmptyCell for an
// empty cell, else 7 bits of the hash of the name the cell holds. A lookup
// reads the eight control bytes from its name's home cell on as one word,
// and learns from them which of those cells can hold the name: the cells it
// then reads are nearly always exactly one (or none, for a name that is not
// there) -- wherever linear probing put the name, and without a branch that
// depends on a cell it has not read yet. The scheme is SwissTable's (Abseil's
// portable group, 8 bytes wide), over cells that hold the records
// themselves.
//
// The control array has `cells + kGroupWidth` bytes: the last kGroupWidth
// repeat the first ones, so that the group of any cell is one unaligned
// read.
#ifndef SSLBIND_SRC_RESOLVE_CELL_CONTROL_H_
#define SSLBIND_SRC_RESOLVE_CELL_CONTROL_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sslbind::internal {

inline constexpr size_t kGroupWidth = 8;
inline constexpr uint8_t kEmptyCell = 0x80;

// The control byte of a name with this hash: its top 7 bits (the home cell
// comes from the low 32, the 32-bit tag of an indirect cell from the high
// 32: these 7 are the tag's top bits, which is harmless -- they only decide
// which cells are compared).
inline uint8_t ControlByte(uint64_t hash) {
  return static_cast<uint8_t>(hash >> 57);
}

// The eight control bytes from cell `at` on.
class ControlGroup {
 public:
  ControlGroup(const uint8_t* control, size_t at) {
    std::memcpy(&bytes_, control + at, sizeof bytes_);
  }

  // A bit (the top one of its byte) for each cell whose control byte is
  // `byte`, and maybe for a full cell just above one that is: the caller
  // compares the cells anyway. Lowest cell first.
  uint64_t Matches(uint8_t byte) const {
    const uint64_t x = bytes_ ^ (kLsbs * byte);
    return (x - kLsbs) & ~x & kMsbs;
  }
  // Whether a cell of the group is empty: a name whose home is the
  // group's first cell lies before it, or is not in the table.
  bool HasEmpty() const { return (bytes_ & kMsbs) != 0; }

  // The cell (0-7 from the group's first) of the lowest bit of a mask.
  static size_t Lowest(uint64_t mask) {
    return static_cast<size_t>(std::countr_zero(mask)) / 8;
  }

 private:
  static constexpr uint64_t kLsbs = 0x0101010101010101ull;
  static constexpr uint64_t kMsbs = 0x8080808080808080ull;
  static_assert(std::endian::native == std::endian::little,
                "the group's lowest byte is its first cell");
  uint64_t bytes_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_CELL_CONTROL_H_
