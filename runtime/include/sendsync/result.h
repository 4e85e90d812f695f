//===- sendsync/result.h - A value or an error ------------------*- C++ -*-===//
//
// This header defines:
//
//   Result<T, E>      either a T (success) or an E (failure), like Rust's
//                     Result and C++23's std::expected (not in C++20)
//   Result<void, E>   success without a value, or an E
//   BadResultAccess   thrown by value() on a failure and error() on a success
//
// The channel operations return Results whose error hands the unsent message
// back:
//
//   if (auto r = tx.try_send(std::move(msg)); !r)
//     retry_later(std::move(r.error().value));
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_RESULT_H
#define SENDSYNC_RESULT_H

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace sendsync {

// Thrown when a Result is accessed as the alternative it does not hold.
class BadResultAccess : public std::exception {
 public:
  explicit BadResultAccess(const char* what) noexcept : what_(what) {}
  const char* what() const noexcept override { return what_; }

 private:
  const char* what_;
};

// Result<T, E>
//
// Holds a T or an E. `[[nodiscard]]`: an ignored Result is usually an ignored
// error (and, for the channels, a silently dropped message).
template <class T, class E> class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  // Makes a success holding T(args...).
  //
  // Example:
  //   auto r = Result<int, Err>::ok(3);
  template <class... Args> static Result ok(Args&&... args) {
    return Result(std::in_place_index<0>, std::forward<Args>(args)...);
  }
  // Makes a failure holding E(args...).
  //
  // Example:
  //   auto r = Result<int, Err>::err(Err::empty);
  template <class... Args> static Result err(Args&&... args) {
    return Result(std::in_place_index<1>, std::forward<Args>(args)...);
  }

  // True on success.
  //
  // Example:
  //   if (auto r = rx.try_recv()) use(*r);
  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // The value; throws BadResultAccess on a failure.
  //
  // Example:
  //   int n = rx.recv().value();
  T& value() & { return std::get<0>(check_value()); }
  const T& value() const& { return std::get<0>(check_value()); }
  T&& value() && { return std::get<0>(std::move(check_value())); }

  // The error; throws BadResultAccess on a success.
  //
  // Example:
  //   if (!r && r.error() == TryRecvError::disconnected) return;
  E& error() & { return std::get<1>(check_error()); }
  const E& error() const& { return std::get<1>(check_error()); }
  E&& error() && { return std::get<1>(std::move(check_error())); }

  // Unchecked access to the value (precondition: has_value()).
  T& operator*() & noexcept { return *std::get_if<0>(&v_); }
  const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  T* operator->() noexcept { return std::get_if<0>(&v_); }
  const T* operator->() const noexcept { return std::get_if<0>(&v_); }

  // The value, or `fallback` on a failure.
  //
  // Example:
  //   int n = rx.try_recv().value_or(0);
  template <class U> T value_or(U&& fallback) && {
    if (has_value()) return std::move(*std::get_if<0>(&v_));
    return static_cast<T>(std::forward<U>(fallback));
  }
  template <class U> T value_or(U&& fallback) const& {
    if (has_value()) return *std::get_if<0>(&v_);
    return static_cast<T>(std::forward<U>(fallback));
  }

 private:
  template <std::size_t I, class... Args>
  explicit Result(std::in_place_index_t<I> i, Args&&... args)
      : v_(i, std::forward<Args>(args)...) {}

  std::variant<T, E>& check_value() {
    if (!has_value()) throw BadResultAccess("sendsync::Result: value() on an error");
    return v_;
  }
  const std::variant<T, E>& check_value() const {
    if (!has_value()) throw BadResultAccess("sendsync::Result: value() on an error");
    return v_;
  }
  std::variant<T, E>& check_error() {
    if (has_value()) throw BadResultAccess("sendsync::Result: error() on a success");
    return v_;
  }
  const std::variant<T, E>& check_error() const {
    if (has_value()) throw BadResultAccess("sendsync::Result: error() on a success");
    return v_;
  }

  std::variant<T, E> v_;
};

// Result<void, E>: success carries nothing.
template <class E> class [[nodiscard]] Result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  static Result ok() { return Result(); }
  template <class... Args> static Result err(Args&&... args) {
    Result r;
    r.e_.emplace(std::forward<Args>(args)...);
    return r;
  }

  [[nodiscard]] bool has_value() const noexcept { return !e_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }

  // Throws BadResultAccess on a failure; does nothing on success.
  void value() const {
    if (!has_value()) throw BadResultAccess("sendsync::Result: value() on an error");
  }

  E& error() & { return check_error(); }
  const E& error() const& {
    if (has_value()) throw BadResultAccess("sendsync::Result: error() on a success");
    return *e_;
  }
  E&& error() && { return std::move(check_error()); }

 private:
  Result() = default;
  E& check_error() {
    if (has_value()) throw BadResultAccess("sendsync::Result: error() on a success");
    return *e_;
  }

  std::optional<E> e_;
};

}  // namespace sendsync

#endif  // SENDSYNC_RESULT_H
