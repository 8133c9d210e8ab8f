// A small stand-in for libFuzzer's driver, so the fuzz targets build with any compiler and ctest
// can run them: replays every file given (or every file in the folders given), then feeds
// seeded random mutations of them (flips, inserts, deletes, repeats, splices) for -seconds=N.
// Prints the number of inputs run. An input that crashes the target is saved as
// crash-standalone in the working folder before the process dies of the same signal.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

Bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

/// The input being run, written out by the crash handler.
const Bytes* current_input = nullptr;

/// On a crash (abort, segfault, uncaught exception): saves the input with async-signal-safe
/// calls, then dies of the same signal.
void on_crash(int signal) {
  if (current_input) {
    int file = ::open("crash-standalone", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (file >= 0) {
      ssize_t ignored = ::write(file, current_input->data(), current_input->size());
      (void)ignored;
      ::close(file);
    }
    const char message[] = "standalone fuzz driver: the failing input is in crash-standalone\n";
    ssize_t ignored = ::write(2, message, sizeof(message) - 1);
    (void)ignored;
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void run(const Bytes& input) {
  current_input = &input;
  LLVMFuzzerTestOneInput(input.data(), input.size());
  current_input = nullptr;
}

Bytes mutate(const std::vector<Bytes>& corpus, std::mt19937_64& random) {
  Bytes out = corpus[random() % corpus.size()];
  const int steps = 1 + static_cast<int>(random() % 4);
  for (int step = 0; step < steps; ++step) {
    const size_t at = out.empty() ? 0 : random() % (out.size() + 1);
    switch (random() % 6) {
      case 0:  // flip a byte
        if (!out.empty()) out[random() % out.size()] ^= static_cast<uint8_t>(1u << (random() % 8));
        break;
      case 1:  // insert a byte, often one of the grammar's own characters
        out.insert(out.begin() + static_cast<std::ptrdiff_t>(at),
                   random() % 2 ? static_cast<uint8_t>("[]{}(),=:'\"$\\~+*&!-\n 0"[random() % 24])
                                : static_cast<uint8_t>(random()));
        break;
      case 2:  // delete a run
        if (!out.empty()) {
          size_t begin = random() % out.size();
          size_t end = std::min(out.size(), begin + 1 + random() % 8);
          out.erase(out.begin() + static_cast<std::ptrdiff_t>(begin),
                    out.begin() + static_cast<std::ptrdiff_t>(end));
        }
        break;
      case 3:  // repeat a run
        if (!out.empty() && out.size() < 4096) {
          size_t begin = random() % out.size();
          size_t end = std::min(out.size(), begin + 1 + random() % 16);
          Bytes run(out.begin() + static_cast<std::ptrdiff_t>(begin),
                    out.begin() + static_cast<std::ptrdiff_t>(end));
          for (int times = 1 + static_cast<int>(random() % 8); times > 0; --times)
            out.insert(out.begin() + static_cast<std::ptrdiff_t>(begin), run.begin(), run.end());
        }
        break;
      case 4: {  // splice in part of another input
        const Bytes& other = corpus[random() % corpus.size()];
        if (!other.empty()) {
          size_t begin = random() % other.size();
          size_t end = std::min(other.size(), begin + 1 + random() % 32);
          out.insert(out.begin() + static_cast<std::ptrdiff_t>(at),
                     other.begin() + static_cast<std::ptrdiff_t>(begin),
                     other.begin() + static_cast<std::ptrdiff_t>(end));
        }
        break;
      }
      default:  // overwrite a byte with an extreme value
        if (!out.empty()) out[random() % out.size()] = random() % 2 ? 0xff : 0x00;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 0;
  std::vector<Bytes> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("-seconds=", 0) == 0) {
      seconds = std::atof(argument.c_str() + 9);
      continue;
    }
    if (std::filesystem::is_directory(argument)) {
      for (const auto& entry : std::filesystem::directory_iterator(argument))
        if (entry.is_regular_file()) corpus.push_back(read_file(entry.path()));
    } else {
      corpus.push_back(read_file(argument));
    }
  }
  if (corpus.empty()) corpus.push_back({});
  for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(signal, on_crash);
  uint64_t runs = 0;
  for (const auto& input : corpus) run(input), ++runs;
  std::mt19937_64 random(1);
  const auto stop = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < stop)
    for (int batch = 0; batch < 100; ++batch) run(mutate(corpus, random)), ++runs;
  std::printf("%llu inputs run, %zu in the seed corpus, no failure\n",
              static_cast<unsigned long long>(runs), corpus.size());
  return 0;
}
