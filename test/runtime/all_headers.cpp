// Includes every public runtime header, so that the build (and the
// runtime.headers_gcc_werror test) proves each one is self-contained and
// clean under -Wall -Wextra -Werror -pedantic.
#include "sendsync/runtime.h"
#include "sendsync/mutex.h"
#include "sendsync/condvar.h"
#include "sendsync/rwlock.h"
#include "sendsync/once.h"
#include "sendsync/thread.h"
#include "sendsync/result.h"
#include "sendsync/channel.h"
#include "sendsync/thread_pool.h"
#include "sendsync/select.h"
#include "sendsync/task.h"

// Explicit instantiations, so that every member of every class template is
// compiled (and warned about) here, not only the ones the tests use.
#include <string>

template class sendsync::Mutex<std::string>;
template class sendsync::MutexGuard<std::string>;
template class sendsync::RwLock<std::string>;
template class sendsync::RwLockReadGuard<std::string>;
template class sendsync::RwLockWriteGuard<std::string>;
template class sendsync::OnceLock<std::string>;
template class sendsync::LazyLock<std::string>;
template class sendsync::Result<std::string, int>;
template class sendsync::Result<void, sendsync::SendError<std::string>>;
template class sendsync::Sender<std::string>;
template class sendsync::Receiver<std::string>;
template class sendsync::SpscSender<std::string>;
template class sendsync::SpscReceiver<std::string>;
template class sendsync::detail::chan_core<std::string>;
template class sendsync::detail::array_channel<std::string>;
template class sendsync::detail::list_channel<std::string>;
template class sendsync::detail::zero_channel<std::string>;
template class sendsync::detail::spsc_core<std::string>;
template class sendsync::detail::basic_sender<
    std::string, sendsync::detail::chan_core<std::string>>;
template class sendsync::detail::basic_receiver<
    std::string, sendsync::detail::chan_core<std::string>>;
template class sendsync::detail::basic_sender<
    std::string, sendsync::detail::spsc_core<std::string>>;
template class sendsync::detail::basic_receiver<
    std::string, sendsync::detail::spsc_core<std::string>>;
template class sendsync::detail::ring<std::string>;
template class sendsync::detail::select_recv_op<std::string>;
template class sendsync::detail::select_send_op<std::string>;
template class sendsync::detail::recv_iterator<
    const sendsync::detail::basic_receiver<
        std::string, sendsync::detail::chan_core<std::string>>,
    std::string, false>;
template class sendsync::detail::try_iter_range<
    const sendsync::detail::basic_receiver<
        std::string, sendsync::detail::chan_core<std::string>>,
    std::string>;
template class sendsync::Result<sendsync::SelectedOperation,
                                sendsync::TrySelectError>;
template class sendsync::JoinHandle<std::string>;
template class sendsync::JoinHandle<void>;
template class sendsync::ScopedJoinHandle<std::string>;
template class sendsync::Task<std::string>;
template class sendsync::Task<void>;
template struct sendsync::detail::task_promise<std::string>;
template class sendsync::detail::task_awaiter<std::string>;
template class sendsync::detail::task_awaiter<void>;
template std::string sendsync::block_on(sendsync::Task<std::string>);
template void sendsync::block_on(sendsync::Task<void>);
template class sendsync::TaskHandle<std::string>;
template class sendsync::TaskHandle<void>;
template class sendsync::detail::join_awaiter<std::string>;
template class sendsync::detail::join_awaiter<void>;
template sendsync::TaskHandle<std::string> sendsync::ThreadPool::spawn(
    sendsync::Task<std::string>);
template sendsync::TaskHandle<void> sendsync::ThreadPool::spawn(
    sendsync::Task<void>);
