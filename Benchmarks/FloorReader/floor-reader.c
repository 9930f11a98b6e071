// The kernel's floor for one exporter scrape: read exactly the files, list exactly the directories
// and statfs exactly the mount points that one scrape touched (scripts/bench-exporter finds them by
// tracing the exporter), with no parsing and no output. What an exporter costs above this is its own.
//
// Usage: floor-reader LISTFILE PASSES
//   LISTFILE lines: "file PATH", "dir PATH" or "statfs PATH".
// Prints: "<passes> passes, <cpu ms per pass> ms CPU per pass, <entries> entries".
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

enum kind { KIND_FILE, KIND_DIR, KIND_STATFS };
struct entry { enum kind kind; char *path; };

static double cpu_ms(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static char buffer[1 << 16];

static void pass(const struct entry *entries, size_t count) {
  for (size_t i = 0; i < count; i++) {
    const struct entry *e = &entries[i];
    if (e->kind == KIND_STATFS) {
      struct statfs info;
      statfs(e->path, &info);
      continue;
    }
    int flags = O_RDONLY | O_CLOEXEC | (e->kind == KIND_DIR ? O_DIRECTORY : 0);
    int fd = open(e->path, flags);
    if (fd < 0) continue;
    if (e->kind == KIND_DIR) {
      while (syscall(SYS_getdents64, fd, buffer, sizeof buffer) > 0) {}
    } else {
      while (read(fd, buffer, sizeof buffer) > 0) {}
    }
    close(fd);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: floor-reader LISTFILE PASSES\n");
    return 2;
  }
  FILE *list = fopen(argv[1], "r");
  if (!list) { perror(argv[1]); return 1; }
  long passes = strtol(argv[2], NULL, 10);
  size_t count = 0, capacity = 256;
  struct entry *entries = malloc(capacity * sizeof *entries);
  char line[4096];
  while (fgets(line, sizeof line, list)) {
    line[strcspn(line, "\n")] = 0;
    char *space = strchr(line, ' ');
    if (!space) continue;
    *space = 0;
    enum kind kind;
    if (strcmp(line, "file") == 0) kind = KIND_FILE;
    else if (strcmp(line, "dir") == 0) kind = KIND_DIR;
    else if (strcmp(line, "statfs") == 0) kind = KIND_STATFS;
    else continue;
    if (count == capacity) entries = realloc(entries, (capacity *= 2) * sizeof *entries);
    entries[count++] = (struct entry){kind, strdup(space + 1)};
  }
  fclose(list);
  for (int i = 0; i < 20; i++) pass(entries, count);  // warm the kernel's caches, as a running exporter has them
  double start = cpu_ms();
  for (long i = 0; i < passes; i++) pass(entries, count);
  printf("%ld passes, %.3f ms CPU per pass, %zu entries\n", passes, (cpu_ms() - start) / passes, count);
  return 0;
}
