// Boost.Asio (with its SSL part) and Boost.Beast compiled once for the whole program: with
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION (set on scanner_boost),
// every other file that includes them only declares their non-template functions.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
