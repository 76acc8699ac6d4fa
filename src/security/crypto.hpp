#pragma once
// Random tokens, token hashing, and the field vault: XChaCha20-Poly1305 encryption of personal
// data at rest and keyed BLAKE2b blind indexes for exact lookups (phone, last 4, email).
// The master key lives outside the database: a 0600 key file or STORECRM_MASTER_KEY (64 hex).
// Sub-keys for encryption and indexing are derived from it so one leaked purpose key does
// not expose the other.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace storecrm::security {

void InitCrypto();  // sodium_init; call once at start (idempotent)

// 32 random bytes, base64url without padding.
std::string RandomToken(size_t bytes = 32);
// Hex BLAKE2b-256 of a token: what the database stores for sessions and API tokens.
std::string HashToken(std::string_view token);

class FieldVault {
public:
    static constexpr size_t kKeyBytes = 32;
    explicit FieldVault(const std::array<unsigned char, kKeyBytes>& master_key);

    // Loads the key from STORECRM_MASTER_KEY (hex) if set, else from `key_file`, creating the
    // file with a fresh random key (mode 0600) when it does not exist.
    static Result<FieldVault> Load(const std::string& key_file);

    // Ciphertext layout: 1 version byte, 24-byte nonce, ciphertext + 16-byte tag.
    std::string Encrypt(std::string_view plaintext) const;
    std::optional<std::string> Decrypt(std::string_view ciphertext) const;
    // 16-byte keyed hash of a normalised value, domain-separated by `purpose` ("phone", ...).
    std::string BlindIndex(std::string_view purpose, std::string_view normalized_value) const;

private:
    std::array<unsigned char, 32> encryption_key_{};
    std::array<unsigned char, 32> index_key_{};
};

// Hex of the vault's keyed hash of `payload` under `purpose`: the signature part of links we
// hand out (unsubscribe, …), checked by computing it again.
std::string SignatureHex(const FieldVault& vault, std::string_view purpose, std::string_view payload);

}  // namespace storecrm::security
