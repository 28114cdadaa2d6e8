#include "alerts/discord_message.h"

#include "alerts/alert_format.h"

namespace scanner::alerts {

std::string CompleteOutcomeLine(const std::optional<core::Outcome>& outcome) {
  if (!outcome || !outcome->complete) return {};
  return FormatOutcomeLine(*outcome);
}

std::vector<MessageGroup> GroupByHead(std::span<const MessageItem> items) {
  std::vector<MessageGroup> groups;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const AlertId head = items[i].place.message_head_id;
    std::optional<std::size_t> group;
    if (head != items[i].id) {
      for (std::size_t g = 0; g < groups.size(); ++g) {
        if (items[groups[g].head].id == head) group = g;
      }
    }
    if (group) {
      groups[*group].joined.push_back(i);
    } else {
      groups.push_back(MessageGroup{i, {}});
    }
  }
  return groups;
}

DiscordEmbed GroupEmbed(std::span<const MessageItem> items, const MessageGroup& group) {
  const MessageItem& head = items[group.head];
  std::vector<JoinedAlert> joined;
  joined.reserve(group.joined.size());
  for (std::size_t i : group.joined) {
    joined.push_back(JoinedAlert{&items[i].candidate, CompleteOutcomeLine(items[i].outcome)});
  }
  AlertEmbedContext context;
  context.late = head.late;
  context.base_asset = head.base_asset;
  context.quote_asset = head.quote_asset;
  context.outcome_line = CompleteOutcomeLine(head.outcome);
  if (head.place.escalates) {
    context.escalates =
        EscalatedMove{head.place.escalates->interval, head.place.escalates->bar_close_time};
  }
  context.joined = joined;
  DiscordEmbed embed = AlertEmbed(head.candidate, context);
  if (!head.chart_file.empty()) embed.image_url = "attachment://" + head.chart_file;
  return embed;
}

std::vector<DiscordEmbed> MessageEmbeds(std::span<const MessageItem> items) {
  std::vector<DiscordEmbed> embeds;
  for (const MessageGroup& group : GroupByHead(items)) embeds.push_back(GroupEmbed(items, group));
  return embeds;
}

}  // namespace scanner::alerts
