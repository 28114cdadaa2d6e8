// Loopback: the fake Discord itself. The delivery tests trust its verdicts, so here it must
// accept what Discord accepts at every limit and refuse (and count) one step over any of them.

#include "fakes/fake_discord.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "alerts/discord_payload.h"
#include "delivery_test_support.h"
#include "net/http_client.h"

namespace scanner::alerts::delivery_test {
namespace {

namespace json = boost::json;
using fakes::FakeDiscord;

std::string Repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// Posts `body` to `url` through `client`, running `io` until the answer; nullopt when none came
// (a hang).
std::optional<net::HttpResult> PostAndWait(
    boost::asio::io_context& io, net::HttpClient& client, const std::string& url, std::string body,
    std::string content_type = "application/json", net::HttpHeaders headers = {},
    boost::beast::http::verb method = boost::beast::http::verb::post) {
  net::HttpRequest request;
  request.method = method;
  request.url = url;
  request.body = std::move(body);
  request.content_type = std::move(content_type);
  request.headers = std::move(headers);
  std::optional<net::HttpResult> result;
  client.Send(std::move(request), [&](net::HttpResult r) { result = std::move(r); });
  if (!RunUntil(io, [&] { return result.has_value(); })) return std::nullopt;
  return result;
}

class FakeDiscordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fakes::FakeDiscordOptions fake_options;
    fake_options.rate_limit = 0;
    auto fake = FakeDiscord::Start(std::move(fake_options));
    ASSERT_TRUE(fake) << fake.error().message;
    fake_ = std::move(*fake);
    url_ = fake_->AddWebhook("123", "tok") + "?wait=true";
    net::HttpClientOptions options;
    options.user_agent = "fake-discord-test/1";
    auto client = net::HttpClient::Create(io_, options, nullptr);
    ASSERT_TRUE(client);
    client_ = std::move(*client);
  }

  net::HttpResponse Post(const std::string& url, std::string body,
                         std::string content_type = "application/json",
                         net::HttpHeaders headers = {}) {
    std::optional<net::HttpResult> result = PostAndWait(
        io_, *client_, url, std::move(body), std::move(content_type), std::move(headers));
    if (!result || !*result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    return **result;
  }

  net::HttpResponse Patch(const std::string& url, std::string body) {
    std::optional<net::HttpResult> result =
        PostAndWait(io_, *client_, url, std::move(body), "application/json", {},
                    boost::beast::http::verb::patch);
    if (!result || !*result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    return **result;
  }

  // A valid message, as json, for tests to break one thing in.
  static json::object Valid() {
    return json::object{{"allowed_mentions", json::object{{"parse", json::array{}}}},
                        {"embeds", json::array{json::object{{"title", "ok"}}}}};
  }

  // Posts `body`, expects 400 and exactly one more violation.
  void ExpectViolation(const std::string& body, std::string_view why) {
    const auto before = fake_->stats().violations;
    net::HttpResponse response = Post(url_, body);
    EXPECT_EQ(response.status, 400u) << why;
    EXPECT_NE(response.body.find("50035"), std::string::npos) << why;
    EXPECT_EQ(fake_->stats().violations, before + 1) << why;
  }

  boost::asio::io_context io_;
  std::unique_ptr<FakeDiscord> fake_;
  std::unique_ptr<net::HttpClient> client_;
  std::string url_;
};

TEST_F(FakeDiscordTest, AcceptsMessagesAtEveryLimit) {
  // 10 embeds and exactly 6000 counted characters, in 4-byte and 2-byte code points.
  std::vector<DiscordEmbed> embeds(10);
  embeds[0].title = Repeat("😀", kMaxEmbedTitle);
  embeds[0].description = Repeat("é", kMaxEmbedDescription);
  embeds[1].fields = {{Repeat("n", kMaxFieldName), Repeat("v", kMaxFieldValue), false}};
  embeds[2].author_name = Repeat("a", kMaxAuthorName);
  embeds[3].footer_text = Repeat("f", 6000 - 256 - 4096 - 256 - 1024 - 256);
  for (auto& embed : embeds) {
    embed.timestamp = "2024-03-10T12:05:00.000Z";
    embed.color = 0xFFFFFF;
  }
  WebhookIdentity identity{Repeat("u", kMaxUsername), ""};
  auto first = WebhookBody(identity, Repeat("c", kMaxContent), embeds);
  ASSERT_TRUE(first) << first.error().message;

  // 25 fields and the longest footer.
  std::vector<DiscordEmbed> second_embeds(1);
  for (std::size_t i = 0; i < kMaxEmbedFields; ++i) {
    second_embeds[0].fields.push_back({fmt::format("n{}", i), Repeat("v", 100), true});
  }
  second_embeds[0].footer_text = Repeat("f", kMaxFooterText);
  auto second = WebhookBody({}, "", second_embeds);
  ASSERT_TRUE(second) << second.error().message;

  for (const std::string* body : {&*first, &*second}) {
    net::HttpResponse response = Post(url_, *body);
    EXPECT_EQ(response.status, 200u) << response.body;
  }
  auto stats = fake_->stats();
  EXPECT_EQ(stats.violations, 0);
  for (const auto& reason : stats.violation_reasons) ADD_FAILURE() << reason;
  auto messages = fake_->Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].embeds.size(), 10u);
  EXPECT_EQ(messages[0].embeds[0].title, Repeat("😀", kMaxEmbedTitle));
  EXPECT_EQ(messages[0].embeds[0].timestamp, "2024-03-10T12:05:00.000Z");
  EXPECT_EQ(messages[1].embeds[0].fields.size(), 25u);
  EXPECT_EQ(messages[0].allowed_mentions, R"({"parse":[]})");
}

TEST_F(FakeDiscordTest, RefusesAndCountsOneStepOverAnyLimit) {
  auto with_embed = [](json::object embed) {
    json::object body = Valid();
    body["embeds"] = json::array{std::move(embed)};
    return json::serialize(body);
  };
  auto field = [](std::string name, std::string value) {
    return json::object{{"name", std::move(name)}, {"value", std::move(value)}};
  };
  ExpectViolation(with_embed({{"title", Repeat("😀", 257)}}), "title");
  ExpectViolation(with_embed({{"description", Repeat("é", 4097)}}), "description");
  ExpectViolation(with_embed({{"author", json::object{{"name", Repeat("a", 257)}}}}), "author");
  ExpectViolation(with_embed({{"footer", json::object{{"text", Repeat("f", 2049)}}}}), "footer");
  ExpectViolation(with_embed({{"fields", json::array{field(Repeat("n", 257), "v")}}}), "name");
  ExpectViolation(with_embed({{"fields", json::array{field("n", Repeat("v", 1025))}}}), "value");
  ExpectViolation(with_embed({{"fields", json::array{field("", "v")}}}), "empty field name");
  json::array fields;
  for (int i = 0; i < 26; ++i) fields.push_back(field("n", "v"));
  ExpectViolation(with_embed({{"fields", fields}}), "26 fields");
  ExpectViolation(with_embed({{"title", "t"}, {"timestamp", "yesterday"}}), "timestamp");
  ExpectViolation(with_embed({{"title", "t"}, {"url", "https://a.b/" + Repeat("a", 2037)}}), "url");

  json::object total = Valid();  // 4096 + 1905 = 6001 across two embeds
  total["embeds"] = json::array{json::object{{"description", Repeat("d", 4096)}},
                                json::object{{"description", Repeat("d", 1905)}}};
  ExpectViolation(json::serialize(total), "6001 characters");
  json::object eleven = Valid();
  json::array many;
  for (int i = 0; i < 11; ++i) many.push_back(json::object{{"title", "t"}});
  eleven["embeds"] = many;
  ExpectViolation(json::serialize(eleven), "11 embeds");
  json::object content = Valid();
  content["content"] = Repeat("c", 2001);
  ExpectViolation(json::serialize(content), "content");
  json::object username = Valid();
  username["username"] = Repeat("u", 81);
  ExpectViolation(json::serialize(username), "username");
  json::object no_mentions = Valid();
  no_mentions.erase("allowed_mentions");
  ExpectViolation(json::serialize(no_mentions), "allowed_mentions missing");
  json::object everyone = Valid();
  everyone["allowed_mentions"] = json::object{{"parse", json::array{"everyone"}}};
  ExpectViolation(json::serialize(everyone), "mentions parsed");
  ExpectViolation("{\"embeds\": [", "invalid JSON");
  ExpectViolation(
      json::serialize(json::object{{"allowed_mentions", json::object{{"parse", json::array{}}}}}),
      "empty message");

  // Request-level rules.
  const std::string valid = json::serialize(Valid());
  const auto before = fake_->stats().violations;
  EXPECT_EQ(Post(fake_->WebhookUrl("123", "tok"), valid).status, 400u);  // no wait=true
  EXPECT_EQ(Post(url_, valid, "text/plain").status, 400u);
  EXPECT_EQ(fake_->stats().violations, before + 2);
  EXPECT_EQ(fake_->stats().accepted, 0);
}

TEST_F(FakeDiscordTest, UnknownWebhookIs404WithCode10015) {
  net::HttpResponse response =
      Post(fake_->WebhookUrl("123", "wrong") + "?wait=true", json::serialize(Valid()));
  EXPECT_EQ(response.status, 404u);
  EXPECT_NE(response.body.find("10015"), std::string::npos);
  EXPECT_EQ(fake_->stats().unknown_webhook, 1);
  EXPECT_EQ(fake_->stats().violations, 0);
}

TEST_F(FakeDiscordTest, EditsAMessageOfTheWebhookAndRecordsEachEdit) {
  net::HttpResponse posted = Post(url_, json::serialize(Valid()));
  ASSERT_EQ(posted.status, 200u);
  const std::string id = json::parse(posted.body).at("id").as_string().c_str();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(fake_->Messages().at(0).id, id);
  net::HttpResponse other = Post(url_, json::serialize(Valid()));
  EXPECT_NE(json::parse(other.body).at("id").as_string().c_str(), id);  // unique

  json::object edited = Valid();
  edited["embeds"] = json::array{json::object{{"title", "edited"}}};
  const std::string message_url = fake_->WebhookUrl("123", "tok") + "/messages/" + id;
  net::HttpResponse response = Patch(message_url, json::serialize(edited));
  EXPECT_EQ(response.status, 200u) << response.body;
  EXPECT_EQ(json::parse(response.body).at("id").as_string(), id);
  ASSERT_EQ(fake_->Edits().size(), 1u);
  EXPECT_EQ(fake_->Edits()[0].message_id, id);
  EXPECT_EQ(fake_->Edits()[0].body.embeds.at(0).title, "edited");
  EXPECT_EQ(fake_->CurrentMessage(id)->embeds.at(0).title, "edited");
  EXPECT_EQ(fake_->Messages().at(0).embeds.at(0).title, "ok");  // as posted
  EXPECT_EQ(fake_->stats().edits, 1);

  // Validated like a post, plus the fields an edit may not carry.
  json::object too_many = Valid();
  too_many["embeds"] = json::array(11, json::object{{"title", "x"}});
  json::object named = Valid();
  named["username"] = "Momentum Scanner";
  for (const json::object& bad : {too_many, named}) {
    net::HttpResponse refused = Patch(message_url, json::serialize(bad));
    EXPECT_EQ(refused.status, 400u);
  }
  EXPECT_EQ(fake_->stats().violations, 2);
  EXPECT_EQ(fake_->Edits().size(), 1u);

  // Unknown, another webhook's, or deleted: 404 Unknown Message, not a violation.
  fake_->AddWebhook("456", "tok2");
  fake_->DeleteMessage(json::parse(other.body).at("id").as_string().c_str());
  for (const std::string& url :
       {fake_->WebhookUrl("123", "tok") + "/messages/42",
        fake_->WebhookUrl("456", "tok2") + "/messages/" + id,
        fake_->WebhookUrl("123", "tok") + "/messages/" +
            std::string(json::parse(other.body).at("id").as_string().c_str())}) {
    net::HttpResponse unknown = Patch(url, json::serialize(Valid()));
    EXPECT_EQ(unknown.status, 404u) << url;
    EXPECT_NE(unknown.body.find("10008"), std::string::npos);
  }
  EXPECT_EQ(fake_->stats().unknown_message, 3);
  EXPECT_EQ(fake_->stats().violations, 2);

  // Faults can be aimed at edits only.
  fakes::DiscordFaultSpec fault;
  fault.fault = fakes::DiscordFault::k5xx;
  fault.requests = fakes::DiscordRequestKind::kEdit;
  fake_->Inject(fault);
  EXPECT_EQ(Post(url_, json::serialize(Valid())).status, 200u);
  EXPECT_EQ(Patch(message_url, json::serialize(Valid())).status, 503u);
  EXPECT_EQ(Patch(message_url, json::serialize(Valid())).status, 200u);
  // A POST to a message URL, or a PATCH of the webhook itself, is not an API call we make.
  EXPECT_EQ(Post(message_url, json::serialize(Valid())).status, 404u);
  EXPECT_EQ(Patch(url_, json::serialize(Valid())).status, 404u);
  EXPECT_EQ(fake_->stats().violations, 4);
}

TEST(FakeDiscordRateLimit, SixthRequestInTheWindowIs429AndAViolation) {
  core::FakeClock clock(1'000'000);
  fakes::FakeDiscordOptions fake_options;
  fake_options.clock = &clock;
  auto fake = FakeDiscord::Start(std::move(fake_options));
  ASSERT_TRUE(fake);
  std::string url = (*fake)->AddWebhook("5", "t") + "?wait=true";
  boost::asio::io_context io;
  net::HttpClientOptions options;
  options.user_agent = "fake-discord-test/1";
  auto client = net::HttpClient::Create(io, options, nullptr);
  ASSERT_TRUE(client);
  std::vector<net::HttpResponse> responses;
  for (int i = 0; i < 6; ++i) {
    auto result =
        PostAndWait(io, **client, url, R"({"allowed_mentions":{"parse":[]},"content":"hi"})");
    ASSERT_TRUE(result && *result);
    responses.push_back(**result);
  }
  EXPECT_EQ(responses[0].Header("X-RateLimit-Limit"), "5");
  EXPECT_EQ(responses[0].Header("X-RateLimit-Remaining"), "4");
  EXPECT_EQ(responses[4].Header("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(responses[4].Header("X-RateLimit-Reset-After"), "2.000");
  EXPECT_TRUE(responses[0].Header("X-RateLimit-Bucket").has_value());
  EXPECT_EQ(responses[4].status, 200u);
  EXPECT_EQ(responses[5].status, 429u);
  EXPECT_EQ(responses[5].Header("Retry-After"), "2");
  EXPECT_NE(responses[5].body.find("retry_after"), std::string::npos);
  EXPECT_EQ((*fake)->stats().rate_limit_violations, 1);
  EXPECT_EQ((*fake)->stats().accepted, 5);

  clock.Advance(2 * core::kSecond);  // the window has passed
  auto result =
      PostAndWait(io, **client, url, R"({"allowed_mentions":{"parse":[]},"content":"again"})");
  ASSERT_TRUE(result && *result);
  EXPECT_EQ((*result)->status, 200u);
}

TEST(FakeDiscordUserAgent, RequestWithoutUserAgentIsAViolation) {
  auto fake = FakeDiscord::Start();
  ASSERT_TRUE(fake);
  std::string url = (*fake)->AddWebhook("5", "t") + "?wait=true";
  boost::asio::io_context io;
  auto client = net::HttpClient::Create(io, {}, nullptr);  // no user_agent: none sent
  ASSERT_TRUE(client);
  auto result =
      PostAndWait(io, **client, url, R"({"allowed_mentions":{"parse":[]},"content":"hi"})");
  ASSERT_TRUE(result && *result);
  EXPECT_EQ((*result)->status, 400u);
  EXPECT_EQ((*fake)->stats().violations, 1);
}

}  // namespace
}  // namespace scanner::alerts::delivery_test
