#include "security/sealed_text.hpp"

#include <sodium.h>

#include <cstring>

namespace storecrm::security {

std::string Base64Encode(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string Base64Decode(std::string_view text) {
    std::string out(text.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        return "";
    }
    out.resize(length);
    return out;
}

std::string SealText(const FieldVault& vault, std::string_view plaintext) {
    return Base64Encode(vault.Encrypt(plaintext));
}

std::optional<std::string> OpenText(const FieldVault& vault, std::string_view sealed) {
    return vault.Decrypt(Base64Decode(sealed));
}

}  // namespace storecrm::security
