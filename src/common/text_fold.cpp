#include "common/text_fold.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>
#include <set>
#include <unordered_map>

namespace storecrm {
namespace {

// Surnames whose everyday reading differs from the most common reading of the character.
const std::unordered_map<UChar32, const char*>& SurnameReadings() {
    static const std::unordered_map<UChar32, const char*> readings = {
        {U'曾', "zeng"}, {U'单', "shan"}, {U'解', "xie"},  {U'仇', "qiu"},  {U'朴', "piao"}, {U'查', "zha"},
        {U'区', "ou"},   {U'乐', "yue"},  {U'覃', "qin"},  {U'盖', "ge"},   {U'缪', "miao"}, {U'翟', "zhai"},
        {U'尉', "yu"},   {U'召', "shao"}, {U'秘', "bi"},   {U'冼', "xian"}, {U'贾', "jia"},  {U'柏', "bai"},
        {U'任', "ren"},  {U'沈', "shen"}, {U'石', "shi"},  {U'薄', "bo"},   {U'繁', "po"},   {U'万', "wan"}};
    return readings;
}

std::string ToUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// ICU's process-wide NFKC_Casefold instance, made once under a C++ static's guard: ICU's own
// lazy initialisation is invisible to ThreadSanitizer, which then reported every other thread's
// first use as a race with the thread that made it.
const icu::Normalizer2* SharedNormalizer() {
    static const icu::Normalizer2* const normalizer = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
        return U_SUCCESS(status) ? n : nullptr;
    }();
    return normalizer;
}

// Per-thread ICU objects and per-character caches.
class Folder {
public:
    Folder() {
        UErrorCode status = U_ZERO_ERROR;
        to_simplified_.reset(icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
        status = U_ZERO_ERROR;
        to_latin_.reset(icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
        normalizer_ = SharedNormalizer();
    }

    std::u32string FoldToCodePoints(std::string_view utf8) {
        icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
        if (normalizer_) {
            UErrorCode status = U_ZERO_ERROR;
            icu::UnicodeString normalized = normalizer_->normalize(text, status);
            if (U_SUCCESS(status)) text = normalized;
        }
        std::u32string out;
        bool pending_space = false;
        for (int32_t i = 0; i < text.length();) {
            UChar32 c = text.char32At(i);
            i += U16_LENGTH(c);
            if (u_isUWhiteSpace(c) || c == 0x3000) {
                pending_space = !out.empty();
                continue;
            }
            if (pending_space) {
                out.push_back(U' ');
                pending_space = false;
            }
            out.push_back(IsHan(c) ? Simplify(c) : c);
        }
        return out;
    }

    std::string Syllable(UChar32 c) {
        auto it = pinyin_.find(c);
        if (it != pinyin_.end()) return it->second;
        std::string syllable;
        if (to_latin_) {
            icu::UnicodeString s(c);
            to_latin_->transliterate(s);
            for (char ch : ToUtf8(s)) {
                if (ch >= 'a' && ch <= 'z') syllable.push_back(ch);
            }
        }
        pinyin_.emplace(c, syllable);
        return syllable;
    }

    static bool IsHan(UChar32 c) {
        UErrorCode status = U_ZERO_ERROR;
        return uscript_getScript(c, &status) == USCRIPT_HAN;
    }

private:
    UChar32 Simplify(UChar32 c) {
        auto it = simplified_.find(c);
        if (it != simplified_.end()) return it->second;
        UChar32 result = c;
        if (to_simplified_) {
            icu::UnicodeString s(c);
            to_simplified_->transliterate(s);
            if (s.countChar32() == 1) result = s.char32At(0);
        }
        simplified_.emplace(c, result);
        return result;
    }

    std::unique_ptr<icu::Transliterator> to_simplified_;
    std::unique_ptr<icu::Transliterator> to_latin_;
    const icu::Normalizer2* normalizer_ = nullptr;
    std::unordered_map<UChar32, UChar32> simplified_;
    std::unordered_map<UChar32, std::string> pinyin_;
};

Folder& ThreadFolder() {
    thread_local Folder folder;
    return folder;
}

std::string Encode(const std::u32string& cps, size_t from = 0, size_t to = std::u32string::npos) {
    std::string out;
    to = std::min(to, cps.size());
    for (size_t i = from; i < to; ++i) {
        char buf[4];
        int32_t len = 0;
        UBool error = false;
        U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, static_cast<UChar32>(cps[i]), error);
        if (!error) out.append(buf, len);
    }
    return out;
}

PinyinForms PinyinOf(const std::u32string& folded) {
    Folder& folder = ThreadFolder();
    PinyinForms forms;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) {
            forms.syllables.push_back(word);
            word.clear();
        }
    };
    bool first_han = true;
    for (char32_t c : folded) {
        if (Folder::IsHan(static_cast<UChar32>(c))) {
            flush();
            std::string syllable;
            if (first_han) {
                auto special = SurnameReadings().find(static_cast<UChar32>(c));
                if (special != SurnameReadings().end()) syllable = special->second;
            }
            if (syllable.empty()) syllable = folder.Syllable(static_cast<UChar32>(c));
            first_han = false;
            if (!syllable.empty()) forms.syllables.push_back(syllable);
        } else if ((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) {
            word.push_back(static_cast<char>(c));
        } else {
            flush();
        }
    }
    flush();
    for (const auto& s : forms.syllables) {
        forms.full += s;
        forms.initials.push_back(s.front());
    }
    return forms;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
    int32_t i = 0;
    const int32_t length = static_cast<int32_t>(text.size());
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    while (i < length) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) return false;
    }
    return true;
}

std::string FoldText(std::string_view utf8) { return Encode(ThreadFolder().FoldToCodePoints(utf8)); }

PinyinForms ToPinyin(std::string_view utf8) { return PinyinOf(ThreadFolder().FoldToCodePoints(utf8)); }

std::vector<std::string> NameSearchKeys(std::string_view name) {
    const std::u32string folded = ThreadFolder().FoldToCodePoints(name);
    std::set<std::string> keys;
    const bool long_name = folded.size() > 12;
    for (size_t i = 0; i < folded.size(); ++i) {
        if (folded[i] == U' ') continue;
        if (long_name && i > 0 && folded[i - 1] != U' ') continue;  // long names: word starts only
        keys.insert(Encode(folded, i));
    }
    const PinyinForms forms = PinyinOf(folded);
    std::string suffix;
    for (size_t i = forms.syllables.size(); i-- > 0;) {
        suffix = forms.syllables[i] + suffix;
        keys.insert(suffix);
    }
    keys.insert(forms.initials);
    keys.erase("");
    return {keys.begin(), keys.end()};
}

std::string FoldQuery(std::string_view query) {
    std::string folded = FoldText(query);
    const bool latin = std::all_of(folded.begin(), folded.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '\'';
    });
    if (latin) folded.erase(std::remove_if(folded.begin(), folded.end(), [](char c) { return c == ' ' || c == '\''; }),
                            folded.end());
    return folded;
}

}  // namespace storecrm
