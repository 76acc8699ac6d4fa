#pragma once
// Random tokens, token hashing, and the field vault: XChaCha20-Poly1305 encryption of personal
// data at rest and keyed BLAKE2b blind indexes for exact lookups (phone, last 4, email).
// The master key lives outside the database: a 0600 key file or STORECRM_MASTER_KEY (64 hex).
// Sub-keys for encryption and indexing are derived from it so one leaked purpose key does
// not expose the other.
//
// Key rotation: `storecrm key rotate` appends "encryption <generation> <64 hex>" to the key
// file. New values are encrypted with the newest generation (its number is the ciphertext's
// first byte; generation 1 is the key derived from the master), every generation in the file
// still decrypts, and job keys.reencrypt moves old values over in the background. Blind
// indexes and signatures keep the master-derived key, so lookups work throughout.

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

    // Re-reads the key file (a rotation added a generation); copies of this vault see it too.
    // (const: the keys live behind a shared pointer every copy of the vault reads through)
    Status Reload(const std::string& key_file) const;

    // Ciphertext layout: 1 byte key generation, 24-byte nonce, ciphertext + 16-byte tag.
    std::string Encrypt(std::string_view plaintext) const;
    std::optional<std::string> Decrypt(std::string_view ciphertext) const;
    int CurrentGeneration() const;
    std::vector<int> Generations() const;
    // The generation a ciphertext was made with (its first byte); 0 for an empty one.
    static int GenerationOf(std::string_view ciphertext);
    // 16-byte keyed hash of a normalised value, domain-separated by `purpose` ("phone", ...).
    std::string BlindIndex(std::string_view purpose, std::string_view normalized_value) const;

private:
    struct Keys {
        std::map<int, std::array<unsigned char, 32>> encryption;  // generation → key
        int current = 1;
    };
    struct Ring;  // the keys behind a mutex, shared by copies of the vault
    std::shared_ptr<const Keys> CurrentKeys() const;

    std::array<unsigned char, 32> master_{};
    std::array<unsigned char, 32> index_key_{};
    std::shared_ptr<Ring> ring_;
};

// Appends a new encryption generation to the key file (written whole to a temporary file,
// then renamed); returns its number.
Result<int> RotateKeyFile(const std::string& key_file);

// Hex of the vault's keyed hash of `payload` under `purpose`: the signature part of links we
// hand out (unsubscribe, …), checked by computing it again.
std::string SignatureHex(const FieldVault& vault, std::string_view purpose, std::string_view payload);

}  // namespace storecrm::security
