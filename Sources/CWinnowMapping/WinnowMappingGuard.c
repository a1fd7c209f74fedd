// See include/WinnowMappingGuard.h.
#include "WinnowMappingGuard.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// Each slot: a guarded range, free when its end is 0. A slot is taken by swapping its start
// from 0 to 1 first, so that two threads cannot take the same one.
static _Atomic uintptr_t guard_start[WINNOW_GUARD_SLOTS];
static _Atomic uintptr_t guard_end[WINNOW_GUARD_SLOTS];
static _Atomic long guarded_faults;
static uintptr_t page_size;
static struct sigaction previous_action;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int installed;  // set once, by `install`

static void winnow_bus_handler(int signal, siginfo_t *info, void *context) {
  (void)signal;
  (void)context;
  uintptr_t address = (uintptr_t)info->si_addr;
  for (int slot = 0; slot < WINNOW_GUARD_SLOTS; slot++) {
    if (address >= atomic_load(&guard_start[slot]) && address < atomic_load(&guard_end[slot])) {
      void *page = (void *)(address & ~(page_size - 1));
      // A raw system call, safe here in practice: the faulting read is retried on the new page.
      void *zeros =
          mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (zeros == MAP_FAILED) break;
      atomic_fetch_add(&guarded_faults, 1);
      return;
    }
  }
  // Not a guarded page: the disposition in place before takes the retried fault.
  sigaction(SIGBUS, &previous_action, NULL);
}

static void install(void) {
  page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = winnow_bus_handler;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  installed = sigaction(SIGBUS, &action, &previous_action) == 0;
}

int winnow_guard_mapping(void *start, size_t length) {
  pthread_once(&install_once, install);
  if (!installed) return -1;
  for (int slot = 0; slot < WINNOW_GUARD_SLOTS; slot++) {
    uintptr_t free = 0;
    if (atomic_compare_exchange_strong(&guard_start[slot], &free, 1)) {
      atomic_store(&guard_end[slot], (uintptr_t)start + length);
      atomic_store(&guard_start[slot], (uintptr_t)start);
      return slot;
    }
  }
  return -1;
}

void winnow_unguard_mapping(int slot) {
  if (slot < 0 || slot >= WINNOW_GUARD_SLOTS) return;
  atomic_store(&guard_end[slot], 0);
  atomic_store(&guard_start[slot], 0);
}

long winnow_guarded_faults(void) { return atomic_load(&guarded_faults); }
