#include "archive/blob_codec.h"

#include <zdict.h>
#include <zstd.h>

namespace provarc {

BlobCodec::BlobCodec() : cctx_(ZSTD_createCCtx()), dctx_(ZSTD_createDCtx()) {}

BlobCodec::~BlobCodec() {
  clear_dictionaries();
  ZSTD_freeCCtx(cctx_);
  ZSTD_freeDCtx(dctx_);
}

void BlobCodec::clear_dictionaries() {
  for (auto& [id, dictionary] : dictionaries_) {
    for (auto& [level, cdict] : dictionary.by_level) ZSTD_freeCDict(cdict);
    ZSTD_freeDDict(dictionary.ddict);
  }
  dictionaries_.clear();
}

void BlobCodec::add_dictionary(int64_t id, std::string bytes) {
  if (has_dictionary(id)) return;
  dictionaries_[id].bytes = std::move(bytes);
}

uint32_t BlobCodec::dictionary_tag(int64_t id) const {
  auto found = dictionaries_.find(id);
  if (found == dictionaries_.end()) return 0;
  return ZSTD_getDictID_fromDict(found->second.bytes.data(), found->second.bytes.size());
}

uint32_t BlobCodec::frame_dictionary_tag(std::string_view frame) {
  return ZSTD_getDictID_fromFrame(frame.data(), frame.size());
}

Result<std::string> BlobCodec::compress(std::string_view raw, int level, int64_t dictionary_id) {
  if (cctx_ == nullptr) return fail("zstd: cannot create a compression context");
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  size_t n = 0;
  if (dictionary_id == 0) {
    n = ZSTD_compressCCtx(cctx_, out.data(), out.size(), raw.data(), raw.size(), level);
  } else {
    auto found = dictionaries_.find(dictionary_id);
    if (found == dictionaries_.end()) {
      return fail("zstd: dictionary " + std::to_string(dictionary_id) + " is not loaded");
    }
    ZSTD_CDict_s*& cdict = found->second.by_level[level];
    if (cdict == nullptr) {
      cdict = ZSTD_createCDict(found->second.bytes.data(), found->second.bytes.size(), level);
      if (cdict == nullptr) {
        return fail("zstd: cannot load dictionary " + std::to_string(dictionary_id));
      }
    }
    n = ZSTD_compress_usingCDict(cctx_, out.data(), out.size(), raw.data(), raw.size(), cdict);
  }
  if (ZSTD_isError(n)) return fail(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

Result<std::string> BlobCodec::decompress(std::string_view stored, int64_t raw_size,
                                          int64_t dictionary_id) {
  if (dctx_ == nullptr) return fail("zstd: cannot create a decompression context");
  unsigned long long declared = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (raw_size < 0 || declared != static_cast<unsigned long long>(raw_size)) {
    return fail("zstd: frame does not declare the expected " + std::to_string(raw_size) + " bytes");
  }
  std::string out(static_cast<size_t>(raw_size), '\0');
  size_t n = 0;
  if (dictionary_id == 0) {
    n = ZSTD_decompressDCtx(dctx_, out.data(), out.size(), stored.data(), stored.size());
  } else {
    auto found = dictionaries_.find(dictionary_id);
    if (found == dictionaries_.end()) {
      return fail("zstd: dictionary " + std::to_string(dictionary_id) + " is not loaded");
    }
    Dictionary& dictionary = found->second;
    if (dictionary.ddict == nullptr) {
      dictionary.ddict = ZSTD_createDDict(dictionary.bytes.data(), dictionary.bytes.size());
      if (dictionary.ddict == nullptr) {
        return fail("zstd: cannot load dictionary " + std::to_string(dictionary_id));
      }
    }
    n = ZSTD_decompress_usingDDict(dctx_, out.data(), out.size(), stored.data(), stored.size(),
                                   dictionary.ddict);
  }
  if (ZSTD_isError(n)) return fail(std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != out.size()) {
    return fail("zstd: frame holds " + std::to_string(n) + " bytes, expected " +
                std::to_string(raw_size));
  }
  return out;
}

Result<std::string> train_dictionary(const std::vector<std::string>& samples, size_t capacity) {
  std::string joined;
  std::vector<size_t> sizes;
  for (const std::string& s : samples) {
    joined += s;
    sizes.push_back(s.size());
  }
  std::string dictionary(capacity, '\0');
  size_t n = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), joined.data(),
                                   sizes.data(), static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) {
    return fail(std::string("zstd dictionary training: ") + ZDICT_getErrorName(n));
  }
  dictionary.resize(n);
  return dictionary;
}

}  // namespace provarc
