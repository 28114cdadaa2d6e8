// Loopback: the fake Discord's handling of messages with files (multipart/form-data). The
// chart delivery tests trust it, so it must accept a well-formed upload and refuse (and count)
// each way of getting one wrong. The bodies here are written by hand, not by the scanner's
// builder, so that a mistake shared by builder and fake cannot hide.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "delivery_test_support.h"
#include "fakes/fake_discord.h"
#include "net/http_client.h"

namespace scanner::alerts::delivery_test {
namespace {

constexpr std::string_view kFormBoundary = "test-boundary-7Qx";
const std::string kPngBytes = std::string("\x89PNG\r\n\x1a\n", 8) + "pixels";

struct HandPart {
  std::string headers;  // the part's header lines, each ending in CRLF
  std::string data;
};

HandPart Payload(std::string json) {
  return {
      "Content-Disposition: form-data; name=\"payload_json\"\r\n"
      "Content-Type: application/json\r\n",
      std::move(json)};
}

HandPart File(int n, std::string filename, std::string data = kPngBytes,
              std::string content_type = "image/png") {
  return {fmt::format("Content-Disposition: form-data; name=\"files[{}]\"; filename=\"{}\"\r\n"
                      "Content-Type: {}\r\n",
                      n, filename, content_type),
          std::move(data)};
}

std::string Form(const std::vector<HandPart>& parts, std::string_view boundary = kFormBoundary) {
  std::string body;
  for (const HandPart& part : parts) {
    body += fmt::format("--{}\r\n{}\r\n", boundary, part.headers);
    body += part.data;
    body += "\r\n";
  }
  body += fmt::format("--{}--\r\n", boundary);
  return body;
}

// A valid payload_json with one embed showing `image` (none when empty) and `attachments`
// (raw JSON array, none when empty).
std::string PayloadJson(std::string_view image, std::string_view attachments) {
  std::string embed = R"({"title":"chart"})";
  if (!image.empty()) embed = fmt::format(R"({{"title":"chart","image":{{"url":"{}"}}}})", image);
  std::string out = fmt::format(R"({{"allowed_mentions":{{"parse":[]}},"embeds":[{}])", embed);
  if (!attachments.empty()) out += fmt::format(R"(,"attachments":{})", attachments);
  return out + "}";
}

class FakeDiscordFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fakes::FakeDiscordOptions options;
    options.rate_limit = 0;
    options.max_file_bytes = 64;  // small, so a file over it is cheap
    auto fake = fakes::FakeDiscord::Start(std::move(options));
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
    url_ = fake_->AddWebhook("321", "tok") + "?wait=true";
    net::HttpClientOptions client_options;
    client_options.user_agent = "fake-discord-files-test/1";
    auto client = net::HttpClient::Create(io_, client_options, nullptr);
    ASSERT_TRUE(client);
    client_ = std::move(*client);
  }

  net::HttpResponse SendToFake(std::string body, std::string content_type,
                               boost::beast::http::verb method = boost::beast::http::verb::post,
                               std::string url = {}) {
    net::HttpRequest request;
    request.method = method;
    request.url = url.empty() ? url_ : std::move(url);
    request.body = std::move(body);
    request.content_type = std::move(content_type);
    std::optional<net::HttpResult> result;
    client_->Send(std::move(request), [&](net::HttpResult r) { result = std::move(r); });
    if (!RunUntil(io_, [&] { return result.has_value(); }) || !*result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    return **result;
  }

  net::HttpResponse PostForm(const std::vector<HandPart>& parts,
                             std::string_view boundary = kFormBoundary) {
    return SendToFake(Form(parts, boundary),
                      fmt::format("multipart/form-data; boundary={}", boundary));
  }

  // Expects `response` to be a refusal of the form, counted once more.
  void ExpectRefused(const net::HttpResponse& response, std::int64_t invalid_before,
                     std::string_view why, unsigned status = 400) {
    EXPECT_EQ(response.status, status) << why << ": " << response.body;
    EXPECT_NE(response.body.find(status == 413 ? "40005" : "50035"), std::string::npos) << why;
    EXPECT_EQ(fake_->stats().invalid_forms, invalid_before + 1) << why;
    EXPECT_TRUE(fake_->Messages().empty()) << why;
  }

  boost::asio::io_context io_;
  std::unique_ptr<fakes::FakeDiscord> fake_;
  std::unique_ptr<net::HttpClient> client_;
  std::string url_;
};

TEST_F(FakeDiscordFilesTest, AcceptsAndRecordsAFileTheEmbedShows) {
  auto response =
      PostForm({Payload(PayloadJson("attachment://c.png", R"([{"id":0,"filename":"c.png"}])")),
                File(0, "c.png")});
  ASSERT_EQ(response.status, 200u) << response.body;
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].multipart);
  ASSERT_EQ(messages[0].attachments.size(), 1u);
  EXPECT_EQ(messages[0].attachments[0].filename, "c.png");
  EXPECT_EQ(messages[0].attachments[0].content_type, "image/png");
  EXPECT_EQ(messages[0].attachments[0].data, kPngBytes);
  EXPECT_EQ(messages[0].embeds.at(0).image_url, "attachment://c.png");
  auto stats = fake_->stats();
  EXPECT_EQ(stats.violations, 0);
  EXPECT_EQ(stats.multipart, 1);
  for (const auto& reason : stats.violation_reasons) ADD_FAILURE() << reason;
}

TEST_F(FakeDiscordFilesTest, RefusesAndCountsEachBrokenUpload) {
  const std::string one = R"([{"id":0,"filename":"c.png"}])";
  const std::string shows = "attachment://c.png";
  struct Case {
    std::string why;
    std::vector<HandPart> parts;
    unsigned status = 400;
  };
  const std::vector<Case> cases = {
      {"missing payload_json", {File(0, "c.png")}},
      {"two payload_json", {Payload(PayloadJson("", "")), Payload(PayloadJson("", ""))}},
      {"file part not image/png",
       {Payload(PayloadJson(shows, one)), File(0, "c.png", kPngBytes, "application/octet-stream")}},
      {"file part without a filename",
       {Payload(PayloadJson("", R"([{"id":0}])")),
        {"Content-Disposition: form-data; name=\"files[0]\"\r\nContent-Type: image/png\r\n",
         kPngBytes}}},
      {"file bytes not a PNG", {Payload(PayloadJson(shows, one)), File(0, "c.png", "GIF89a")}},
      {"attachment id without its files[n] part",
       {Payload(PayloadJson(shows, R"([{"id":1,"filename":"c.png"}])")), File(0, "c.png")}},
      {"a files[n] part not listed in attachments",
       {Payload(PayloadJson("", "")), File(0, "c.png")}},
      {"an embed refers to an unknown attachment",
       {Payload(PayloadJson("attachment://other.png", one)), File(0, "c.png")}},
      {"an unknown form field",
       {Payload(PayloadJson("", "")),
        {"Content-Disposition: form-data; "
         "name=\"file\"\r\n",
         "x"}}},
      {"payload_json not JSON", {Payload("{not json"), File(0, "c.png")}},
      {"a file over the limit",
       {Payload(PayloadJson(shows, one)), File(0, "c.png", kPngBytes + std::string(64, 'x'))},
       413},
  };
  for (const Case& c : cases) {
    const auto before = fake_->stats().invalid_forms;
    ExpectRefused(PostForm(c.parts), before, c.why, c.status);
  }
  EXPECT_EQ(fake_->stats().too_large, 1);
  EXPECT_EQ(fake_->stats().violations, static_cast<std::int64_t>(cases.size()));
}

TEST_F(FakeDiscordFilesTest, RefusesMalformedBoundariesAndBodies) {
  const std::vector<HandPart> good = {
      Payload(PayloadJson("attachment://c.png", R"([{"id":0,"filename":"c.png"}])")),
      File(0, "c.png")};
  const std::string body = Form(good);
  struct Case {
    std::string why;
    std::string content_type;
    std::string body;
  };
  std::string unterminated = body.substr(0, body.size() - 4 - kFormBoundary.size() - 4);
  std::string no_blank_line = body;
  no_blank_line.replace(no_blank_line.find("\r\n\r\n"), 4, "\r\n");
  const std::vector<Case> cases = {
      {"no boundary parameter", "multipart/form-data", body},
      {"boundary over 70 characters", "multipart/form-data; boundary=" + std::string(71, 'b'),
       Form(good, std::string(71, 'b'))},
      {"boundary with a forbidden character", "multipart/form-data; boundary=a\"b;c", body},
      {"body under another boundary", "multipart/form-data; boundary=other", body},
      {"no close delimiter", fmt::format("multipart/form-data; boundary={}", kFormBoundary),
       unterminated},
      {"a part without a blank line",
       fmt::format("multipart/form-data; boundary={}", kFormBoundary), no_blank_line},
  };
  for (const Case& c : cases) {
    const auto before = fake_->stats().invalid_forms;
    ExpectRefused(SendToFake(c.body, c.content_type), before, c.why);
  }
}

TEST_F(FakeDiscordFilesTest, AJsonPostCannotReferToAnAttachment) {
  const auto before = fake_->stats().invalid_forms;
  ExpectRefused(SendToFake(PayloadJson("attachment://c.png", ""), "application/json"), before,
                "a JSON post has no files");
}

TEST_F(FakeDiscordFilesTest, AnEditKeepsTheFilesAndMayOnlyReferToThem) {
  auto posted =
      PostForm({Payload(PayloadJson("attachment://c.png", R"([{"id":0,"filename":"c.png"}])")),
                File(0, "c.png")});
  ASSERT_EQ(posted.status, 200u) << posted.body;
  const std::string id = fake_->Messages().at(0).id;
  const std::string edit_url = fake_->WebhookUrl("321", "tok") + "/messages/" + id;
  const auto patch = boost::beast::http::verb::patch;

  auto kept =
      SendToFake(PayloadJson("attachment://c.png", ""), "application/json", patch, edit_url);
  EXPECT_EQ(kept.status, 200u) << kept.body;
  auto current = fake_->CurrentMessage(id);
  ASSERT_TRUE(current);
  ASSERT_EQ(current->attachments.size(), 1u);
  EXPECT_EQ(current->attachments[0].data, kPngBytes);
  EXPECT_EQ(current->embeds.at(0).image_url, "attachment://c.png");
  EXPECT_EQ(fake_->stats().violations, 0);

  auto before = fake_->stats().invalid_forms;
  auto unknown =
      SendToFake(PayloadJson("attachment://d.png", ""), "application/json", patch, edit_url);
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(fake_->stats().invalid_forms, before + 1);

  before = fake_->stats().invalid_forms;
  auto replacing = SendToFake(PayloadJson("attachment://c.png", R"([{"id":0,"filename":"c.png"}])"),
                              "application/json", patch, edit_url);
  EXPECT_EQ(replacing.status, 400u);
  EXPECT_EQ(fake_->stats().invalid_forms, before + 1);
  EXPECT_EQ(fake_->Edits().size(), 1u);
}

}  // namespace
}  // namespace scanner::alerts::delivery_test
