// archive/blob_codec.h: zstd compression of stored bodies, with or without a site's dictionary,
// and the training of those dictionaries (ZDICT). Internal to archive/.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;
struct ZSTD_CDict_s;
struct ZSTD_DDict_s;

namespace provarc {

// Holds zstd contexts and the dictionaries loaded so far (by their archive id). Not thread-safe:
// one per Archive connection.
class BlobCodec {
 public:
  BlobCodec();
  ~BlobCodec();
  BlobCodec(const BlobCodec&) = delete;
  BlobCodec& operator=(const BlobCodec&) = delete;

  bool has_dictionary(int64_t id) const { return dictionaries_.count(id) != 0; }
  // Forgets every dictionary (after a rollback, an id may have been given to other bytes).
  void clear_dictionaries();
  // Makes dictionary `id` (its zstd bytes) available to compress() and decompress().
  void add_dictionary(int64_t id, std::string bytes);

  // zstd's own ID of dictionary `id` (ZDICT writes one into each dictionary it trains), 0 when the
  // dictionary is not loaded or has none; and the ID a frame records of the dictionary it was
  // compressed with (0: none). Readers compare them to notice a dictionary id given to other bytes.
  uint32_t dictionary_tag(int64_t id) const;
  static uint32_t frame_dictionary_tag(std::string_view frame);

  // Compresses `raw` at `level`, with dictionary `dictionary_id` (0: none; it must have been
  // added). Fails only when zstd does (out of memory).
  Result<std::string> compress(std::string_view raw, int level, int64_t dictionary_id);

  // Decompresses a frame written by compress() into exactly `raw_size` bytes. Fails when the
  // frame is damaged or does not hold `raw_size` bytes (never allocates more than `raw_size`).
  Result<std::string> decompress(std::string_view stored, int64_t raw_size, int64_t dictionary_id);

 private:
  struct Dictionary {
    std::string bytes;
    std::map<int, ZSTD_CDict_s*> by_level;  // compression dictionaries, built on first use
    ZSTD_DDict_s* ddict = nullptr;
  };

  ZSTD_CCtx_s* cctx_;
  ZSTD_DCtx_s* dctx_;
  std::map<int64_t, Dictionary> dictionaries_;
};

// Trains a zstd dictionary of at most `capacity` bytes from `samples`. Fails when zstd cannot
// (too few or too small samples); the caller then goes on without one.
Result<std::string> train_dictionary(const std::vector<std::string>& samples, size_t capacity);

}  // namespace provarc
