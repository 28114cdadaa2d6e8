#include "replay/line_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fixture_files.h"
#include "support/scratch_dir.h"
#include "support/zip_file.h"

namespace scanner::replay {
namespace {

using support::ScratchDir;

struct ReadAll {
  std::vector<std::string> lines;  // too-long lines read as "<too long>"
  std::vector<std::uint64_t> numbers;
  std::string error;
};

ReadAll Drain(LineReader& reader) {
  ReadAll all;
  while (true) {
    auto line = reader.Next();
    if (!line) {
      all.error = line.error().message;
      // The reader is at its end after a failure.
      auto after = reader.Next();
      EXPECT_TRUE(after && !*after);
      return all;
    }
    if (!*line) return all;
    all.lines.push_back((*line)->too_long ? "<too long>" : std::string((*line)->text));
    all.numbers.push_back((*line)->number);
  }
}

TEST(LineReader, SplitsLinesDropsCarriageReturnsAndKeepsALastLineWithoutNewline) {
  ScratchDir dir;
  auto reader = LineReader::Open(dir.Write("a.csv", "one\r\ntwo\n\nthree"));
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_FALSE((*reader)->from_archive());
  const ReadAll all = Drain(**reader);
  EXPECT_EQ(all.lines, (std::vector<std::string>{"one", "two", "", "three"}));
  EXPECT_EQ(all.numbers, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(all.error, "");
}

TEST(LineReader, ReportsAnOverlongLineAndCarriesOnWithTheNext) {
  ScratchDir dir;
  const std::string longest(LineReader::kMaxLineLength, 'x');
  const std::string too_long(LineReader::kMaxLineLength + 1, 'y');
  const std::string huge(300 * 1024, 'z');  // several buffers without a line end
  auto reader = LineReader::Open(
      dir.Write("long.csv", "a\n" + longest + "\r\n" + too_long + "\n" + huge + "\nb\n" + huge));
  ASSERT_TRUE(reader);
  const ReadAll all = Drain(**reader);
  ASSERT_EQ(all.lines.size(), 6u);
  EXPECT_EQ(all.lines[0], "a");
  EXPECT_EQ(all.lines[1], longest);  // exactly the limit, "\r" not counted
  EXPECT_EQ(all.lines[2], "<too long>");
  EXPECT_EQ(all.lines[3], "<too long>");
  EXPECT_EQ(all.lines[4], "b");
  EXPECT_EQ(all.lines[5], "<too long>");  // the last line, without "\n"
  EXPECT_EQ(all.numbers, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
}

TEST(LineReader, ReadsTheCsvInsideAZipInPlace) {
  ScratchDir dir;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "row," + std::to_string(i) + "\n";  // > one buffer
  const std::string path =
      support::WriteZip(dir.Path("BTCUSDT-1m-2024-01-01.zip"),
                        {{"notes.txt", "not this one\n"}, {"BTCUSDT-1m-2024-01-01.csv", content}});
  auto reader = LineReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_TRUE((*reader)->from_archive());
  const ReadAll all = Drain(**reader);
  ASSERT_EQ(all.lines.size(), 20000u);
  EXPECT_EQ(all.lines.front(), "row,0");
  EXPECT_EQ(all.lines.back(), "row,19999");
  EXPECT_EQ(all.error, "");
}

TEST(LineReader, TellsAZipByItsSignatureWhateverItsName) {
  ScratchDir dir;
  const std::string path = support::WriteZip(dir.Path("data.bin"), {{"only-entry.txt", "x,y\n"}});
  auto reader = LineReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_TRUE((*reader)->from_archive());
  EXPECT_EQ(Drain(**reader).lines, std::vector<std::string>{"x,y"});
}

TEST(LineReader, RefusesAZipWithoutACsvAmongSeveralEntries) {
  ScratchDir dir;
  const std::string path =
      support::WriteZip(dir.Path("x.zip"), {{"a.txt", "1\n"}, {"b.txt", "2\n"}});
  auto reader = LineReader::Open(path);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("none ends in .csv"), std::string::npos);
}

TEST(LineReader, RefusesATruncatedZip) {
  ScratchDir dir;
  const std::string path =
      support::WriteZip(dir.Path("t.zip"), {{"t.csv", std::string(5000, 'a') + "\n"}});
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  auto reader = LineReader::Open(path);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("cannot open zip archive"), std::string::npos)
      << reader.error().message;
}

TEST(LineReader, ReportsADamagedEntryAfterTheLinesBeforeTheDamage) {
  ScratchDir dir;
  const std::string path = support::WriteZip(
      dir.Path("d.zip"), {{"d.csv", "first,line\nsecond,MARK\n"}}, /*store=*/true);
  std::string bytes = support::ReadText(path);
  const std::size_t mark = bytes.find("MARK");
  ASSERT_NE(mark, std::string::npos);
  bytes[mark] = 'W';  // the stored data no longer matches its CRC
  dir.Write("d.zip", bytes);
  auto reader = LineReader::Open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  const ReadAll all = Drain(**reader);
  EXPECT_EQ(all.lines.size(), 2u);
  EXPECT_NE(all.error.find("damaged archive"), std::string::npos) << all.error;
}

TEST(LineReader, FailsToOpenAMissingFile) {
  auto reader = LineReader::Open("/nonexistent/dir/file.csv");
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace scanner::replay
