#include "alerts/multipart_body.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "alerts/discord_payload.h"

namespace scanner::alerts {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\r\n--", 5);

TEST(MultipartBody, LaysOutEachPartWithItsHeadersBetweenBoundaries) {
  std::vector<MultipartPart> parts = {{"payload_json", "", "application/json", R"({"a":1})"},
                                      {"files[0]", "c.png", "image/png", kPng}};
  auto built = BuildMultipartBody(parts);
  ASSERT_TRUE(built) << built.error().message;
  const std::string& b = built->boundary;
  EXPECT_EQ(built->content_type, "multipart/form-data; boundary=" + b);
  EXPECT_LE(b.size(), 70u);
  const std::string expected =
      "--" + b + "\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n" +
      "Content-Type: application/json\r\n\r\n{\"a\":1}\r\n" + "--" + b +
      "\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"c.png\"\r\n" +
      "Content-Type: image/png\r\n\r\n" + kPng + "\r\n--" + b + "--\r\n";
  EXPECT_EQ(built->body, expected);
}

TEST(MultipartBody, TheSamePartsMakeTheSameBytes) {
  std::vector<MultipartPart> parts = {{"files[0]", "c.png", "image/png", kPng}};
  auto first = BuildMultipartBody(parts);
  auto second = BuildMultipartBody(parts);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, second->body);
}

TEST(MultipartBody, ABoundaryFoundInAPartIsReplacedByTheNextCandidate) {
  const std::string taken = kPng + MultipartBoundaryCandidate(0) + "tail";
  std::vector<MultipartPart> parts = {{"files[0]", "c.png", "image/png", taken}};
  auto built = BuildMultipartBody(parts);
  ASSERT_TRUE(built);
  EXPECT_NE(built->boundary, MultipartBoundaryCandidate(0));
  EXPECT_EQ(built->boundary, MultipartBoundaryCandidate(1));
  EXPECT_EQ(taken.find(built->boundary), std::string::npos);
  // Both candidates in the data: the third.
  const std::string both = taken + MultipartBoundaryCandidate(1);
  parts[0].data = both;
  auto third = BuildMultipartBody(parts);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->boundary, MultipartBoundaryCandidate(2));
}

TEST(MultipartBody, CandidatesAreDistinctAndUseOnlyBoundaryCharacters) {
  for (unsigned n = 0; n < 64; ++n) {
    const std::string b = MultipartBoundaryCandidate(n);
    EXPECT_LE(b.size(), 70u);
    for (char c : b) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-') << b;
    for (unsigned m = 0; m < n; ++m) EXPECT_NE(b, MultipartBoundaryCandidate(m));
  }
}

TEST(MultipartBody, RefusesHeaderValuesThatCannotBeWrittenSafely) {
  for (const MultipartPart& bad : std::vector<MultipartPart>{
           {"files[0]", "a\"b.png", "image/png", kPng},
           {"files[0]", "a\r\nX: y", "image/png", kPng},
           {"", "a.png", "image/png", kPng},
           {"files[0]", "a.png", "", kPng},
       }) {
    std::vector<MultipartPart> parts = {bad};
    EXPECT_FALSE(BuildMultipartBody(parts)) << bad.name << " " << bad.filename;
  }
  EXPECT_FALSE(BuildMultipartBody({}));
}

TEST(WebhookBodyAttachments, ListsTheFilesAndTheEmbedImage) {
  std::vector<DiscordEmbed> embeds(1);
  embeds[0].title = "t";
  embeds[0].image_url = "attachment://c.png";
  std::vector<WebhookAttachment> attachments = {{0, "c.png"}};
  auto body = WebhookBody({}, "", embeds, attachments);
  ASSERT_TRUE(body) << body.error().message;
  auto root = boost::json::parse(*body).as_object();
  EXPECT_EQ(boost::json::serialize(root.at("attachments")), R"([{"id":0,"filename":"c.png"}])");
  EXPECT_EQ(boost::json::serialize(root.at("embeds").at(0).at("image")),
            R"({"url":"attachment://c.png"})");
  // Without attachments: no key at all (an edit keeps the message's files).
  auto plain = WebhookBody({}, "", embeds);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(boost::json::parse(*plain).as_object().contains("attachments"));
}

}  // namespace
}  // namespace scanner::alerts
