#include "security/crypto.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace storecrm::security {
namespace {

constexpr unsigned char kCiphertextVersion = 1;
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'s', 't', 'o', 'r', 'e', 'c', 'r', 'm'};

std::optional<std::array<unsigned char, 32>> ParseHexKey(std::string_view hex) {
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.remove_suffix(1);
    std::array<unsigned char, 32> key{};
    size_t written = 0;
    if (hex.size() != 64 ||
        sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &written, nullptr) != 0 ||
        written != key.size()) {
        return std::nullopt;
    }
    return key;
}

}  // namespace

void InitCrypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string RandomToken(size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string HashToken(std::string_view token) {
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                       0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return hex;
}

FieldVault::FieldVault(const std::array<unsigned char, kKeyBytes>& master_key) {
    crypto_kdf_derive_from_key(encryption_key_.data(), encryption_key_.size(), 1, kKdfContext, master_key.data());
    crypto_kdf_derive_from_key(index_key_.data(), index_key_.size(), 2, kKdfContext, master_key.data());
}

Result<FieldVault> FieldVault::Load(const std::string& key_file) {
    InitCrypto();
    if (const char* env = std::getenv("STORECRM_MASTER_KEY"); env && *env) {
        auto key = ParseHexKey(env);
        if (!key) return Error::Internal("STORECRM_MASTER_KEY must be 64 hex characters");
        return FieldVault(*key);
    }
    namespace fs = std::filesystem;
    if (!fs::exists(key_file)) {
        std::array<unsigned char, 32> key{};
        randombytes_buf(key.data(), key.size());
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, key.data(), key.size());
        fs::path p(key_file);
        std::error_code ec;
        if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
        mode_t old_mask = umask(077);
        {
            std::ofstream out(key_file, std::ios::trunc);
            out << hex << "\n";
        }
        umask(old_mask);
        chmod(key_file.c_str(), 0600);
        if (!fs::exists(key_file)) return Error::Internal("cannot create key file " + key_file);
    }
    std::ifstream in(key_file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto key = ParseHexKey(text);
    if (!key) return Error::Internal("key file " + key_file + " must hold 64 hex characters");
    return FieldVault(*key);
}

std::string FieldVault::Encrypt(std::string_view plaintext) const {
    std::string out(1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    bytes[0] = kCiphertextVersion;
    unsigned char* nonce = bytes + 1;
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), bytes, 1, nullptr, nonce,
        encryption_key_.data());
    out.resize(1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + written);
    return out;
}

std::optional<std::string> FieldVault::Decrypt(std::string_view ciphertext) const {
    constexpr size_t header = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (ciphertext.size() < header + crypto_aead_xchacha20poly1305_ietf_ABYTES) return std::nullopt;
    const auto* bytes = reinterpret_cast<const unsigned char*>(ciphertext.data());
    if (bytes[0] != kCiphertextVersion) return std::nullopt;
    std::string out(ciphertext.size() - header - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &written, nullptr,
                                                   bytes + header, ciphertext.size() - header, bytes, 1, bytes + 1,
                                                   encryption_key_.data()) != 0) {
        return std::nullopt;
    }
    out.resize(written);
    return out;
}

std::string FieldVault::BlindIndex(std::string_view purpose, std::string_view normalized_value) const {
    crypto_generichash_state state;
    crypto_generichash_init(&state, index_key_.data(), index_key_.size(), 16);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
    const unsigned char separator = 0;
    crypto_generichash_update(&state, &separator, 1);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(normalized_value.data()),
                              normalized_value.size());
    std::string out(16, '\0');
    crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
    return out;
}

std::string SignatureHex(const FieldVault& vault, std::string_view purpose, std::string_view payload) {
    const std::string raw = vault.BlindIndex(purpose, payload);
    std::string hex(raw.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    hex.pop_back();
    return hex;
}

}  // namespace storecrm::security
