# Precompiled headers for the targets whose translation units spend most of their time parsing
# Boost.Asio/Beast or GoogleTest. Each header set is compiled once, by one donor target, and the
# other targets reuse it (REUSE_FROM). CMake compiles with -Winvalid-pch, so a reuse GCC finds
# incompatible (different flags or macros) is a warning, an error with SCANNER_WERROR: a donor
# must carry the flags and definitions of the targets that reuse it.
#
# Included from the top-level CMakeLists after every target exists; SCANNER_PCH=OFF disables it.

set(SCANNER_PCH_BOOST_HEADERS
  <boost/asio/io_context.hpp>
  <boost/asio/ip/tcp.hpp>
  <boost/asio/post.hpp>
  <boost/asio/ssl.hpp>
  <boost/asio/steady_timer.hpp>
  <boost/beast/core.hpp>
  <boost/beast/http.hpp>
  <boost/beast/ssl.hpp>
  <boost/beast/websocket.hpp>
  <boost/beast/websocket/ssl.hpp>)
set(SCANNER_PCH_TEST_HEADERS <gmock/gmock.h> <gtest/gtest.h>)
set(SCANNER_PCH_STD_HEADERS
  <algorithm> <chrono> <cstdint> <expected> <functional> <map> <memory> <optional> <string>
  <string_view> <utility> <vector>)

# Whether `target` links `dependency`, directly or through any of its libraries.
function(scanner_links_to target dependency result)
  set(${result} FALSE PARENT_SCOPE)
  set(pending ${target})
  set(seen)
  while(pending)
    list(POP_FRONT pending current)
    if(current IN_LIST seen OR NOT TARGET ${current})
      continue()
    endif()
    list(APPEND seen ${current})
    if(current STREQUAL dependency)
      set(${result} TRUE PARENT_SCOPE)
      return()
    endif()
    get_target_property(type ${current} TYPE)
    set(links)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${current} LINK_LIBRARIES)
      if(direct)
        list(APPEND links ${direct})
      endif()
    endif()
    get_target_property(interface ${current} INTERFACE_LINK_LIBRARIES)
    if(interface)
      list(APPEND links ${interface})
    endif()
    foreach(link IN LISTS links)
      # Strip generator expressions such as $<LINK_ONLY:x>.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
      if(TARGET ${link})
        list(APPEND pending ${link})
      endif()
    endforeach()
  endwhile()
endfunction()

# Every executable defined in `directory` and below.
function(scanner_executables_under directory result)
  set(found)
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      list(APPEND found ${target})
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    scanner_executables_under(${subdirectory} below)
    list(APPEND found ${below})
  endforeach()
  set(${result} ${found} PARENT_SCOPE)
endfunction()

# Libraries: scanner_net compiles the Boost header set; the other Beast-heavy libraries reuse it.
if(TARGET scanner_net)
  target_precompile_headers(scanner_net PRIVATE ${SCANNER_PCH_BOOST_HEADERS}
    ${SCANNER_PCH_STD_HEADERS})
  foreach(library IN ITEMS scanner_binance scanner_fakes)
    if(TARGET ${library})
      target_precompile_headers(${library} REUSE_FROM scanner_net)
    endif()
  endforeach()
endif()

# Test executables: two donors (object libraries with one empty unit each), with the test
# executables' own flags: GoogleTest alone, and GoogleTest with the Boost set for the tests that
# link Asio. Each test executable reuses the one that matches it.
if(SCANNER_BUILD_TESTS AND EXISTS ${PROJECT_SOURCE_DIR}/tests/CMakeLists.txt)
  set(pch_source ${PROJECT_BINARY_DIR}/scanner_pch.cpp)
  file(WRITE ${pch_source} "// Compiles the precompiled headers of the test executables.\n")
  add_library(scanner_pch_tests OBJECT ${pch_source})
  target_link_libraries(scanner_pch_tests PRIVATE GTest::gmock GTest::gtest scanner_warnings)
  target_precompile_headers(scanner_pch_tests PRIVATE ${SCANNER_PCH_TEST_HEADERS}
    ${SCANNER_PCH_STD_HEADERS})
  add_library(scanner_pch_tests_boost OBJECT ${pch_source})
  target_link_libraries(scanner_pch_tests_boost PRIVATE GTest::gmock GTest::gtest scanner_boost
    scanner_warnings)
  target_precompile_headers(scanner_pch_tests_boost PRIVATE ${SCANNER_PCH_TEST_HEADERS}
    ${SCANNER_PCH_BOOST_HEADERS} ${SCANNER_PCH_STD_HEADERS})

  scanner_executables_under(${PROJECT_SOURCE_DIR}/tests test_executables)
  foreach(test IN LISTS test_executables)
    scanner_links_to(${test} GTest::gtest uses_gtest)
    if(NOT uses_gtest)
      continue()
    endif()
    scanner_links_to(${test} scanner_boost uses_boost)
    if(uses_boost)
      target_precompile_headers(${test} REUSE_FROM scanner_pch_tests_boost)
    else()
      target_precompile_headers(${test} REUSE_FROM scanner_pch_tests)
    endif()
  endforeach()
endif()
