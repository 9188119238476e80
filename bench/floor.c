// The kernel's share of a natives volume (bench/natives.sh): the same files
// adrec writes for N small natives (a slip sheet of SLIP bytes, the native,
// a text file; 1,000 a folder), made with nothing else to do, by THREADS
// threads, then one syncfs. What any tool writing this layout pays the
// kernel, before its own work. Not part of adrec; not a test.
//
//   floor NATIVES_DIR OUT_DIR THREADS SLIP_BYTES
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PER_FOLDER 1000

static char **names;
static int count, threads;
static size_t slip_bytes;
static const char *src, *out;
static char *slip;

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void write_file(const char *path, const char *bytes, size_t n) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) die(path);
  if (write(fd, bytes, n) != (ssize_t)n) die(path);
  close(fd);
}

static void *writer(void *arg) {
  long t = (long)arg;
  char path[4096], native[65536];
  for (int i = t; i < count; i += threads) {
    snprintf(path, sizeof path, "%s/%s", src, names[i]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(path);
    ssize_t n = read(fd, native, sizeof native);
    if (n < 0) die(path);
    close(fd);
    int folder = i / PER_FOLDER + 1;
    snprintf(path, sizeof path, "%s/IMAGES/%04d/AR-%07d.pdf", out, folder, i + 1);
    write_file(path, slip, slip_bytes);
    snprintf(path, sizeof path, "%s/NATIVES/%04d/AR-%07d.bin", out, folder, i + 1);
    write_file(path, native, n);
    snprintf(path, sizeof path, "%s/TEXT/%04d/AR-%07d.txt", out, folder, i + 1);
    write_file(path, native, n);
  }
  return NULL;
}

static int visible(const struct dirent *e) { return e->d_name[0] != '.'; }

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: floor NATIVES_DIR OUT_DIR THREADS SLIP_BYTES\n");
    return 2;
  }
  src = argv[1];
  out = argv[2];
  threads = atoi(argv[3]);
  slip_bytes = strtoul(argv[4], NULL, 10);
  if (threads < 1 || threads > 64) threads = 4;
  slip = malloc(slip_bytes + 1);
  if (!slip) die("malloc");
  memset(slip, 'x', slip_bytes);
  // NATIVES_DIR/<folder>/<file>, in name order.
  struct dirent **folders;
  int nf = scandir(src, &folders, visible, alphasort);
  if (nf < 0) die(src);
  size_t cap = 1024;
  names = malloc(cap * sizeof *names);
  for (int f = 0; f < nf; f++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", src, folders[f]->d_name);
    struct dirent **files;
    int n = scandir(dir, &files, visible, alphasort);
    if (n < 0) die(dir);
    for (int k = 0; k < n; k++) {
      if ((size_t)count == cap) names = realloc(names, (cap *= 2) * sizeof *names);
      if (asprintf(&names[count++], "%s/%s", folders[f]->d_name, files[k]->d_name) < 0) die("asprintf");
    }
  }
  char path[4096];
  const char *kinds[] = {"IMAGES", "NATIVES", "TEXT"};
  if (mkdir(out, 0755) != 0) die(out);
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", out, kinds[k]);
    if (mkdir(path, 0755) != 0) die(path);
    for (int f = 1; f <= (count + PER_FOLDER - 1) / PER_FOLDER; f++) {
      snprintf(path, sizeof path, "%s/%s/%04d", out, kinds[k], f);
      if (mkdir(path, 0755) != 0) die(path);
    }
  }
  pthread_t pool[64];
  for (long t = 0; t < threads; t++) pthread_create(&pool[t], NULL, writer, (void *)t);
  for (int t = 0; t < threads; t++) pthread_join(pool[t], NULL);
  int fd = open(out, O_RDONLY | O_DIRECTORY);
  if (fd < 0 || syncfs(fd) != 0) die("syncfs");
  close(fd);
  return 0;
}
