#include "download/checksum_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "download/sha256.h"
#include "support/scratch_dir.h"

namespace scanner::download {
namespace {

using ::testing::HasSubstr;

constexpr const char* kHex = "c4b2b5b5c0a0f1b1c5e4a9e7b0c5f0e1d2c3b4a5968778695a4b3c2d1e0f1a2b";
constexpr const char* kName = "BTCUSDT-1m-2024-03.zip";

TEST(ChecksumFile, ReadsBinancesFormat) {
  auto parsed = ParseChecksumFile(std::string(kHex) + "  " + kName + "\n", kName);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, kHex);
}

TEST(ChecksumFile, AcceptsUpperCaseBinaryMarkerAndCrlf) {
  std::string upper = kHex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto parsed = ParseChecksumFile(upper + " *" + kName + "\r\n", kName);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, kHex);
  EXPECT_TRUE(ParseChecksumFile(FormatChecksumFile(kHex, kName), kName));
}

TEST(ChecksumFile, RefusesAnythingElseSayingWhy) {
  EXPECT_THAT(ParseChecksumFile("", kName).error().message, HasSubstr("empty"));
  EXPECT_THAT(ParseChecksumFile("<html><body>Error</body></html>", kName).error().message,
              HasSubstr("does not start with a SHA-256"));
  EXPECT_THAT(
      ParseChecksumFile(std::string(kHex).substr(0, 40) + "  " + kName, kName).error().message,
      HasSubstr("SHA-256"));
  EXPECT_THAT(ParseChecksumFile(std::string(kHex), kName).error().message,
              HasSubstr("no file name"));
  EXPECT_THAT(
      ParseChecksumFile(std::string(kHex) + "  ETHUSDT-1m-2024-03.zip\n", kName).error().message,
      HasSubstr("names 'ETHUSDT-1m-2024-03.zip'"));
  EXPECT_THAT(ParseChecksumFile(std::string(kHex) + "  " + kName + "\n" + kHex + "  x\n", kName)
                  .error()
                  .message,
              HasSubstr("more than one line"));
  EXPECT_FALSE(ParseChecksumFile(std::string(100000, 'a'), kName));
  EXPECT_FALSE(ParseChecksumFile(std::string(64, 'g') + "  " + kName, kName));
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(*Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(*Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, OfAFileEqualsOfItsBytes) {
  support::ScratchDir dir;
  std::string big(200 * 1024 + 7, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 % 251);
  const std::string path = dir.Write("big.bin", big);
  EXPECT_EQ(*Sha256HexOfFile(path), *Sha256Hex(big));
  EXPECT_FALSE(Sha256HexOfFile(dir.Path("missing.bin")));
}

}  // namespace
}  // namespace scanner::download
