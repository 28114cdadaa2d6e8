#pragma once
// The scanner database's schema, one migration per version. The universe cache and the alert
// outbox share this file; MIGRATION.md documents every version.

#include <span>

#include "storage/database.h"

namespace scanner::storage {

std::span<const Migration> ScannerMigrations();

}  // namespace scanner::storage
