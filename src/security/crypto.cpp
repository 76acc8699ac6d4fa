#include "security/crypto.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace storecrm::security {
namespace {

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

std::string Hex(const std::array<unsigned char, 32>& key) {
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, key.data(), key.size());
    return hex;
}

struct KeyFile {
    std::array<unsigned char, 32> master{};
    std::map<int, std::array<unsigned char, 32>> generations;  // from "encryption N HEX" lines
};

Result<KeyFile> ParseKeyFile(const std::string& text, const std::string& where) {
    KeyFile file;
    std::istringstream in(text);
    std::string line;
    bool have_master = false;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (!have_master) {
            auto key = ParseHexKey(line);
            if (!key) return Error::Internal(where + " must start with 64 hex characters");
            file.master = *key;
            have_master = true;
            continue;
        }
        std::istringstream fields(line);
        std::string word, hex;
        int generation = 0;
        fields >> word >> generation >> hex;
        auto key = ParseHexKey(hex);
        if (word != "encryption" || generation < 2 || generation > 255 || !key) {
            return Error::Internal(where + ": a line after the master key must read \"encryption <2-255> <64 hex>\"");
        }
        file.generations[generation] = *key;
    }
    if (!have_master) return Error::Internal(where + " holds no key");
    return file;
}

Result<std::string> ReadWhole(const std::string& path) {
    std::ifstream in(path);
    if (!in) return Error::Internal("cannot read key file " + path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

struct FieldVault::Ring {
    std::mutex mutex;
    std::shared_ptr<const Keys> keys;
};

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

FieldVault::FieldVault(const std::array<unsigned char, kKeyBytes>& master_key)
    : master_(master_key), ring_(std::make_shared<Ring>()) {
    auto keys = std::make_shared<Keys>();
    crypto_kdf_derive_from_key(keys->encryption[1].data(), 32, 1, kKdfContext, master_key.data());
    crypto_kdf_derive_from_key(index_key_.data(), index_key_.size(), 2, kKdfContext, master_key.data());
    ring_->keys = std::move(keys);
}

std::shared_ptr<const FieldVault::Keys> FieldVault::CurrentKeys() const {
    std::lock_guard lock(ring_->mutex);
    return ring_->keys;
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
        fs::path p(key_file);
        std::error_code ec;
        if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
        mode_t old_mask = umask(077);
        {
            std::ofstream out(key_file, std::ios::trunc);
            out << Hex(key) << "\n";
        }
        umask(old_mask);
        chmod(key_file.c_str(), 0600);
        if (!fs::exists(key_file)) return Error::Internal("cannot create key file " + key_file);
    }
    auto text = ReadWhole(key_file);
    if (!text.ok()) return text.take_error();
    auto file = ParseKeyFile(*text, "key file " + key_file);
    if (!file.ok()) return file.take_error();
    FieldVault vault(file->master);
    STORECRM_TRY(vault.Reload(key_file));
    return vault;
}

Status FieldVault::Reload(const std::string& key_file) const {
    if (const char* env = std::getenv("STORECRM_MASTER_KEY"); env && *env) return Ok();  // nothing to re-read
    auto text = ReadWhole(key_file);
    if (!text.ok()) return text.take_error();
    auto file = ParseKeyFile(*text, "key file " + key_file);
    if (!file.ok()) return file.take_error();
    if (file->master != master_) return Error::Internal("key file " + key_file + " now holds another master key");
    auto keys = std::make_shared<Keys>(*CurrentKeys());
    for (const auto& [generation, key] : file->generations) keys->encryption[generation] = key;
    keys->current = keys->encryption.rbegin()->first;
    std::lock_guard lock(ring_->mutex);
    ring_->keys = std::move(keys);
    return Ok();
}

int FieldVault::CurrentGeneration() const { return CurrentKeys()->current; }

std::vector<int> FieldVault::Generations() const {
    std::vector<int> out;
    for (const auto& [generation, key] : CurrentKeys()->encryption) out.push_back(generation);
    return out;
}

int FieldVault::GenerationOf(std::string_view ciphertext) {
    return ciphertext.empty() ? 0 : static_cast<unsigned char>(ciphertext[0]);
}

std::string FieldVault::Encrypt(std::string_view plaintext) const {
    const auto keys = CurrentKeys();
    const auto& key = keys->encryption.at(keys->current);
    std::string out(1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    bytes[0] = static_cast<unsigned char>(keys->current);
    unsigned char* nonce = bytes + 1;
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), bytes, 1, nullptr, nonce,
        key.data());
    out.resize(1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + written);
    return out;
}

std::optional<std::string> FieldVault::Decrypt(std::string_view ciphertext) const {
    constexpr size_t header = 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    if (ciphertext.size() < header + crypto_aead_xchacha20poly1305_ietf_ABYTES) return std::nullopt;
    const auto* bytes = reinterpret_cast<const unsigned char*>(ciphertext.data());
    const auto keys = CurrentKeys();
    auto key = keys->encryption.find(bytes[0]);
    if (key == keys->encryption.end()) return std::nullopt;
    std::string out(ciphertext.size() - header - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &written, nullptr,
                                                   bytes + header, ciphertext.size() - header, bytes, 1, bytes + 1,
                                                   key->second.data()) != 0) {
        return std::nullopt;
    }
    out.resize(written);
    return out;
}

Result<int> RotateKeyFile(const std::string& key_file) {
    auto text = ReadWhole(key_file);
    if (!text.ok()) return text.take_error();
    auto file = ParseKeyFile(*text, "key file " + key_file);
    if (!file.ok()) return file.take_error();
    const int next = file->generations.empty() ? 2 : file->generations.rbegin()->first + 1;
    if (next > 255) return Error::Internal("key file " + key_file + " has used every generation (255)");
    std::array<unsigned char, 32> key{};
    randombytes_buf(key.data(), key.size());
    std::string updated = *text;
    if (!updated.empty() && updated.back() != '\n') updated += '\n';
    updated += "encryption " + std::to_string(next) + " " + Hex(key) + "\n";
    const std::string temporary = key_file + ".new";
    mode_t old_mask = umask(077);
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << updated;
        out.flush();
        if (!out) {
            umask(old_mask);
            return Error::Internal("cannot write " + temporary);
        }
    }
    umask(old_mask);
    chmod(temporary.c_str(), 0600);
    std::error_code ec;
    std::filesystem::rename(temporary, key_file, ec);
    if (ec) return Error::Internal("cannot replace " + key_file + ": " + ec.message());
    return next;
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
