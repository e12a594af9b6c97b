/*
 * pthreads for a single-threaded task. There is exactly one thread, so
 * once/keys/locks need no atomics, but they still keep real state:
 * locks track their holder so misuse (unlocking an unlocked mutex,
 * relocking a normal mutex, which would deadlock) returns an error instead
 * of silently succeeding. pthread_create fails with EAGAIN.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#define KEYS_MAX 64

static const void *key_values[KEYS_MAX];
static void (*key_dtors[KEYS_MAX])(void *);
static unsigned char key_used[KEYS_MAX];

pthread_t pthread_self(void)
{
	return (pthread_t)1;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	(void)t;
	(void)attr;
	(void)fn;
	(void)arg;
	return EAGAIN;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (*once == 0) {
		*once = 1;
		fn();
	}
	return 0;
}

int pthread_key_create(pthread_key_t *key, void (*dtor)(void *))
{
	for (unsigned i = 0; i < KEYS_MAX; i++) {
		if (!key_used[i]) {
			key_used[i] = 1;
			key_dtors[i] = dtor;
			key_values[i] = NULL;
			*key = i;
			return 0;
		}
	}
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	if (key >= KEYS_MAX || !key_used[key])
		return EINVAL;
	key_used[key] = 0;
	key_values[key] = NULL;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	return (key < KEYS_MAX && key_used[key]) ? (void *)key_values[key] : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *v)
{
	if (key >= KEYS_MAX || !key_used[key])
		return EINVAL;
	key_values[key] = v;
	return 0;
}

/* Mutex state in the glibc object: __data.__lock = depth, __data.__kind = type. */
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	memset(m, 0, sizeof(*m));
	if (a != NULL)
		m->__data.__kind = *(const int *)a;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->__data.__lock ? EBUSY : 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (m->__data.__lock && m->__data.__kind != PTHREAD_MUTEX_RECURSIVE)
		return EBUSY;
	m->__data.__lock++;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	/* With one thread, waiting on a held non-recursive mutex never ends. */
	return pthread_mutex_trylock(m) == 0 ? 0 : EDEADLK;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (m->__data.__lock == 0)
		return EPERM;
	m->__data.__lock--;
	return 0;
}

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	(void)a;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	*(int *)a = type;
	return 0;
}

/* Rwlock state: __data.__readers = read holds, __data.__writers = write held. */
int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	(void)a;
	memset(l, 0, sizeof(*l));
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	return (l->__data.__readers || l->__data.__writers) ? EBUSY : 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	if (l->__data.__writers)
		return EDEADLK;
	l->__data.__readers++;
	return 0;
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	if (l->__data.__writers || l->__data.__readers)
		return EDEADLK;
	l->__data.__writers = 1;
	return 0;
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	return pthread_rwlock_rdlock(l) == 0 ? 0 : EBUSY;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	return pthread_rwlock_wrlock(l) == 0 ? 0 : EBUSY;
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	if (l->__data.__writers) {
		l->__data.__writers = 0;
		return 0;
	}
	if (l->__data.__readers) {
		l->__data.__readers--;
		return 0;
	}
	return EPERM;
}
