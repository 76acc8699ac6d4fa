#pragma once
// Text folding for search: traditional → simplified Chinese, NFKC with case folding
// (full-width → half-width, upper → lower), pinyin (full and initials) for Han names, and the
// search keys stored per member so that substring, pinyin and initials lookups use an index.
//
// Thread-safety: every function may be called from many threads at once. ICU transliterators
// are not safe to share while transliterating, so each thread lazily builds its own, and
// caches per-character results (a name repeats few distinct characters).

#include <string>
#include <string_view>
#include <vector>

namespace storecrm {

bool IsValidUtf8(std::string_view text);

// "張三豐" and "张三丰" fold alike; "ＺＨＡＮＧ " → "zhang"; inner whitespace collapsed.
std::string FoldText(std::string_view utf8);

struct PinyinForms {
    std::string full;                    // "zhangsanfeng"
    std::string initials;                // "zsf"
    std::vector<std::string> syllables;  // {"zhang", "san", "feng"}
};
// Tone-less lower-case pinyin. A common polyphonic surname reads as a surname when it comes
// first (曾 zeng, 单 shan ...). Latin words are kept as one syllable each.
PinyinForms ToPinyin(std::string_view utf8);

// Every suffix of the folded name, every suffix of the pinyin from a syllable start, and the
// full initials: a prefix range lookup over these finds substrings of the name, pinyin from
// any syllable, and initials from the first. Deduplicated, never empty keys.
std::vector<std::string> NameSearchKeys(std::string_view name);

// A search query folded the way keys are: FoldText, and for Latin-only input without spaces
// or apostrophes, so "Zhang San" finds "zhangsan".
std::string FoldQuery(std::string_view query);

}  // namespace storecrm
